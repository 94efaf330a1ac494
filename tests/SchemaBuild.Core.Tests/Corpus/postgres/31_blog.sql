-- A small blog: users, posts, comments, tags.
CREATE TABLE blog_users (
    id bigserial PRIMARY KEY,
    handle varchar(40) NOT NULL UNIQUE,
    bio text,
    joined_on date NOT NULL DEFAULT CURRENT_DATE
);

CREATE TABLE posts (
    id bigserial PRIMARY KEY,
    author_id bigint NOT NULL REFERENCES blog_users (id) ON DELETE CASCADE,
    slug varchar(120) NOT NULL,
    title text NOT NULL,
    published_at timestamptz,
    body text NOT NULL DEFAULT '',
    UNIQUE (author_id, slug)
);

CREATE TABLE post_comments (
    id bigserial PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts ON DELETE CASCADE,
    parent_id bigint REFERENCES post_comments (id),
    author_id bigint REFERENCES blog_users (id) ON DELETE SET NULL,
    body text NOT NULL CHECK (length(body) > 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tags (
    name text PRIMARY KEY
);

CREATE TABLE post_tags (
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag text NOT NULL REFERENCES tags (name) ON UPDATE CASCADE,
    PRIMARY KEY (post_id, tag)
);

CREATE INDEX posts_published ON posts (published_at DESC) WHERE published_at IS NOT NULL;
CREATE INDEX post_comments_post ON post_comments (post_id, created_at);

CREATE VIEW published_posts AS
    SELECT p.id, p.slug, p.title, u.handle
    FROM posts p JOIN blog_users u ON u.id = p.author_id
    WHERE p.published_at IS NOT NULL;
