-- Updatable views with CHECK OPTION, cascaded and local; a view over a view.
CREATE TABLE accounts (
  id INT NOT NULL PRIMARY KEY,
  owner VARCHAR(60) NOT NULL,
  balance DECIMAL(14,2) NOT NULL DEFAULT 0.00,
  kind ENUM('checking','savings') NOT NULL
);

CREATE VIEW savings_accounts AS
  SELECT id, owner, balance, kind FROM accounts WHERE kind = 'savings'
  WITH CHECK OPTION;

CREATE VIEW positive_savings AS
  SELECT id, owner, balance FROM savings_accounts WHERE balance > 0
  WITH LOCAL CHECK OPTION;

CREATE VIEW cascaded_savings AS
  SELECT id, owner FROM savings_accounts
  WITH CASCADED CHECK OPTION;
