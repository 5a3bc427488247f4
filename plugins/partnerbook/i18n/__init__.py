"""Languages: the reader's language, the gettext catalogs, and the labels of codes and levels."""
