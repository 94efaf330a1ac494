-- Indexes created by separate CREATE INDEX statements.
CREATE TABLE shipments (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  tracking_no VARCHAR(40) NOT NULL,
  carrier VARCHAR(20) NOT NULL,
  shipped_at DATETIME,
  notes TEXT
);

CREATE UNIQUE INDEX uq_tracking ON shipments (tracking_no);
CREATE INDEX idx_carrier_date ON shipments (carrier, shipped_at DESC);
CREATE INDEX idx_carrier_prefix USING BTREE ON shipments (carrier(5));
CREATE FULLTEXT INDEX ft_notes ON shipments (notes);
