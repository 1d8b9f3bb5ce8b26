INSERT INTO invoice VALUES (1, 'Astrid Gruber', 1.98), (2, 'Bjørn Hansen', 3.96), (3, 'Daan Peeters', 5.94);
