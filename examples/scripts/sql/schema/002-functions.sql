-- Dollar quoting with semicolons inside: the loader must keep the body whole.
CREATE FUNCTION order_total(order_id integer) RETURNS numeric
LANGUAGE sql STABLE AS $$
    SELECT o.quantity * w.price
    FROM widget_order o JOIN widget w USING (widget_id)
    WHERE o.order_id = order_total.order_id;
$$;
