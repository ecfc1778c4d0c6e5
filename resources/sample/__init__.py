"""The sample records curated from the seed articles, that ``load-sample`` adds."""
