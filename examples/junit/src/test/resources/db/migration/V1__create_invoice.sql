CREATE TABLE invoice (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(10, 2) NOT NULL);
