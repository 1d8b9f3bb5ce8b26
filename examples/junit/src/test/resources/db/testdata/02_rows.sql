INSERT INTO widget VALUES (1, 'sprocket'), (2, 'flange');
