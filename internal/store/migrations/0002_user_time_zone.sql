-- Each user sees times in their own zone; Almaty (UTC+5) until they choose another.

ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Almaty';
