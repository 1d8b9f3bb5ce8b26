CREATE TABLE widget (
    widget_id  integer PRIMARY KEY,
    name       text    NOT NULL,
    price      numeric(10, 2) NOT NULL CHECK (price >= 0)
);

CREATE TABLE widget_order (
    order_id   integer PRIMARY KEY,
    widget_id  integer NOT NULL REFERENCES widget (widget_id),
    quantity   integer NOT NULL CHECK (quantity > 0),
    ordered_at timestamptz NOT NULL DEFAULT now()
);
