-- The postgres profile of docker-compose.yml: one database per module, as each module owns its
-- data (no module reads another's tables). Run once, on the first start of an empty volume.
CREATE DATABASE users;
CREATE DATABASE products;
CREATE DATABASE search;
CREATE DATABASE orders;
CREATE DATABASE logging;
