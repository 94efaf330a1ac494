-- ENUM and SET members keep their order: their ordinals are stored data.
CREATE TABLE tickets (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  status ENUM('open','in_progress','closed') NOT NULL DEFAULT 'open',
  priority ENUM('low', 'normal', 'high') DEFAULT 'normal',
  labels SET('bug','feature','docs') DEFAULT 'bug,docs',
  channel ENUM('web','mail','phone')
);
