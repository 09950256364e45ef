-- The shop's catalogue (issue 15): generated category keys, and imports of more than two kinds.

-- A category made without a key gets `c_<n>` from this counter (the key never changes after).
CREATE SEQUENCE category_key_seq;

-- The import kinds are the engine's list (engine/src/imports/*): products now, more to come. The
-- column keeps a slug's form rather than a closed list that every new kind would have to widen.
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind ~ '^[a-z][a-z_-]{0,31}$');

