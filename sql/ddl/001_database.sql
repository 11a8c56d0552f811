-- The pipeline's database. Every other DDL file runs inside it.
CREATE DATABASE IF NOT EXISTS engagement
