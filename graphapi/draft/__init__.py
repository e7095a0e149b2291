"""The drafter: from a news article to a draft seed file for a curator to review (`graphapi seed draft`,
the `draftSource` mutation, the explorer's review page). Rule-based: spaCy's blank English tokenizer,
sentencizer and entity ruler, the graph's names, aliases, offices and tenures as the gazetteer, dateparser
for dates and rapidfuzz for names; no model, and nothing fetched at run time."""

from graphapi.draft.article import Article
from graphapi.draft.drafter import Draft, draft_article
from graphapi.draft.gazetteer import Gazetteer

__all__ = ["Article", "Draft", "Gazetteer", "draft_article"]
