-- Downloads counted per day (UTC, YYYY-MM-DD), document and the grant's company (issue 18's
-- downloads page). A download adds one here in the transaction that writes its audit row, so
-- the console reads one row per day, document and company however many downloads there were
-- (at 100,000 audit rows, grouping the log itself took most of the page's 50 ms). The company
-- is the grant's at the time of the download. The counts name no person and stay when
-- `candor audit prune` deletes old audit rows.
CREATE TABLE download_counts (
    day         TEXT NOT NULL,
    document_id TEXT NOT NULL,
    company     TEXT NOT NULL,
    downloads   BIGINT NOT NULL,
    PRIMARY KEY (day, document_id, company)
);

-- The downloads already in the log.
INSERT INTO download_counts (day, document_id, company, downloads)
SELECT SUBSTR(a.at, 1, 10), COALESCE(a.document_id, ''), COALESCE(g.company, ''), COUNT(*)
FROM audit a LEFT JOIN grants g ON g.id = a.grant_id
WHERE a.event = 'download'
GROUP BY SUBSTR(a.at, 1, 10), COALESCE(a.document_id, ''), COALESCE(g.company, '');
