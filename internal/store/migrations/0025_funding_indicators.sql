-- The indicators an award promised its donor (issue 10, decision 0021): indicators of the
-- programmes it funds, each with its own target and period, its actual counted as on the
-- programme's page. An indicator an award promised is not deleted.
CREATE TABLE funding_indicators (
    funding_id BIGINT NOT NULL REFERENCES funding (id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators (id),
    PRIMARY KEY (funding_id, indicator_id)
);
CREATE INDEX funding_indicators_indicator ON funding_indicators (indicator_id);
