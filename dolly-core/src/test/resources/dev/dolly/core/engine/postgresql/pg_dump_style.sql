--
-- PostgreSQL database dump
--

\restrict Xy7pQ2rT9sLmN4bVc8dFgH1jKw3eZa6uYo5iRt0

-- Dumped from database version 17.6
-- Dumped by pg_dump version 17.6

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: shop; Type: DATABASE; Schema: -; Owner: postgres
--

CREATE DATABASE shop WITH TEMPLATE = template0 ENCODING = 'UTF8' LOCALE_PROVIDER = libc LOCALE = 'C';


ALTER DATABASE shop OWNER TO postgres;

\unrestrict Xy7pQ2rT9sLmN4bVc8dFgH1jKw3eZa6uYo5iRt0
\connect shop
\restrict Xy7pQ2rT9sLmN4bVc8dFgH1jKw3eZa6uYo5iRt0

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

--
-- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
--

CREATE SCHEMA app;


ALTER SCHEMA app OWNER TO postgres;

--
-- Name: slugify(text); Type: FUNCTION; Schema: app; Owner: postgres
--

CREATE FUNCTION app.slugify(value text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    AS $_$
BEGIN
    -- lower case; then dashes for anything else
    RETURN trim(both '-' from regexp_replace(lower($1), '[^a-z0-9]+', '-', 'g'));
END;
$_$;


ALTER FUNCTION app.slugify(value text) OWNER TO postgres;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: product; Type: TABLE; Schema: app; Owner: postgres
--

CREATE TABLE app.product (
    id integer NOT NULL,
    name text NOT NULL,
    note text,
    price numeric(10,2)
);


CREATE TABLE app."order; line" (
    product_id integer NOT NULL,
    "quantity?" integer DEFAULT 1
);


CREATE SEQUENCE app.product_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE app.product_id_seq OWNED BY app.product.id;
ALTER TABLE ONLY app.product ALTER COLUMN id SET DEFAULT nextval('app.product_id_seq'::regclass);

--
-- Data for Name: product; Type: TABLE DATA; Schema: app; Owner: postgres
--

COPY app.product (id, name, note, price) FROM stdin;
1	Widget; large	back\\slash	9.99
2	Gadget	\N	19.50
3	Quote's "thing"	tab\tinside	0.00
4	Ünïcödé	line\nbreak; -- not a comment	1.00
\.


COPY app."order; line" (product_id, "quantity?") FROM stdin;
1	2
3	\N
\.


SELECT pg_catalog.setval('app.product_id_seq', 4, true);


ALTER TABLE ONLY app.product
    ADD CONSTRAINT product_pkey PRIMARY KEY (id);


--
-- PostgreSQL database dump complete
--

\unrestrict Xy7pQ2rT9sLmN4bVc8dFgH1jKw3eZa6uYo5iRt0

