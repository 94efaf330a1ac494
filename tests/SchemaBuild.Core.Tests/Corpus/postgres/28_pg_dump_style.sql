-- Written the way pg_dump writes: constraints and defaults after the tables.
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);

CREATE TABLE public.widgets (
    id integer NOT NULL,
    name character varying(100) NOT NULL,
    price numeric(10,2),
    CONSTRAINT widgets_price_check CHECK ((price > (0)::numeric))
);

CREATE SEQUENCE public.widgets_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

ALTER SEQUENCE public.widgets_id_seq OWNED BY public.widgets.id;

ALTER TABLE ONLY public.widgets ALTER COLUMN id SET DEFAULT nextval('public.widgets_id_seq'::regclass);

ALTER TABLE ONLY public.widgets
    ADD CONSTRAINT widgets_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.widgets
    ADD CONSTRAINT widgets_name_key UNIQUE (name);

CREATE INDEX widgets_lower_name ON public.widgets USING btree (lower((name)::text));
