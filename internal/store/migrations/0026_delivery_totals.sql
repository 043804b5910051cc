-- A programme's deliveries counted and summed by day, kind and unit (issue 10, decision
-- 0022): the indicators "deliveries" and "quantity_sum" add up these few thousand rows
-- instead of reading every delivery (a programme of 600,000 took 0.7 s to sum). Every
-- write of a delivery in a programme keeps them in the same transaction
-- (store/delivery_totals.go); a test compares them with a count of the deliveries.
CREATE TABLE delivery_totals (
    program_id BIGINT NOT NULL REFERENCES programs (id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    currency TEXT NOT NULL,
    deliveries BIGINT NOT NULL,
    quantity BIGINT NOT NULL,
    PRIMARY KEY (program_id, date, kind, unit, currency)
);

INSERT INTO delivery_totals (program_id, date, kind, unit, currency, deliveries, quantity)
SELECT program_id, date, kind, unit, currency, COUNT(*), SUM(quantity)
FROM deliveries WHERE program_id IS NOT NULL GROUP BY program_id, date, kind, unit, currency;
