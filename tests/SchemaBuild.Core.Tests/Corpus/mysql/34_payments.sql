-- Payments with money in DECIMAL, currency codes and status checks.
CREATE TABLE payments (
  id CHAR(26) NOT NULL,
  amount DECIMAL(19,4) NOT NULL,
  currency CHAR(3) CHARACTER SET ascii NOT NULL DEFAULT 'EUR',
  status ENUM('pending','authorized','captured','refunded','failed') NOT NULL DEFAULT 'pending',
  captured_amount DECIMAL(19,4) NOT NULL DEFAULT 0,
  created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  updated_at TIMESTAMP(3) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (id),
  KEY idx_status_created (status, created_at),
  CONSTRAINT chk_amount_positive CHECK (amount > 0),
  CONSTRAINT chk_captured CHECK (captured_amount <= amount)
);
