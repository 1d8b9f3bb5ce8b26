INSERT INTO widget (widget_id, name, price) VALUES
    (1, 'Sprocket', 2.50),
    (2, 'Flange; large', 7.25),
    (3, 'Grommet ''deluxe''', 0.99);

INSERT INTO widget_order (order_id, widget_id, quantity) VALUES
    (1, 1, 10),
    (2, 2, 3),
    (3, 3, 120);
