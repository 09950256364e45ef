-- The settings page (issue 18 §5): the shop-wide settings that were defaults in code until now.
-- time_zone: the shop's local days (overview, coverage, audit filters); rfm_monetary: how the
-- overview's RFM scores M; coverage_floor: the marketing touches a year each customer should at
-- least get (DOMAIN.md: 5-6, big promotions reach everyone); quiet hours and the SMS signature:
-- the shop's defaults for its journeys (quiet_from/quiet_to both null = no quiet hours).
ALTER TABLE shop_settings ADD COLUMN time_zone text NOT NULL DEFAULT 'Asia/Shanghai';
ALTER TABLE shop_settings ADD COLUMN rfm_monetary text NOT NULL DEFAULT 'sum' CHECK (rfm_monetary IN ('sum', 'aov'));
ALTER TABLE shop_settings ADD COLUMN coverage_floor integer NOT NULL DEFAULT 5 CHECK (coverage_floor BETWEEN 0 AND 365);
ALTER TABLE shop_settings ADD COLUMN quiet_from text DEFAULT '21:00';
ALTER TABLE shop_settings ADD COLUMN quiet_to text DEFAULT '08:00';
ALTER TABLE shop_settings ADD CONSTRAINT shop_settings_quiet_hours CHECK ((quiet_from IS NULL) = (quiet_to IS NULL));
ALTER TABLE shop_settings ADD COLUMN sms_signature text;
