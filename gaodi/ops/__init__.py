"""Operations: backup and restore of a Gaodi site (database and uploaded files)."""
