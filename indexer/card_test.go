package indexer

import "testing"

// plainText keeps the words of a Markdown description and drops its syntax.
func TestPlainText(t *testing.T) {
	for _, c := range []struct{ md, want string }{
		{"# Titre\n\n**Gras** et *italique*, `code` ~~barré~~.", "Titre Gras et italique, code barré."},
		{"- un\n* deux\n+ trois\n1. quatre\n12. cinq", "un deux trois quatre cinq"},
		{"> citation\n>> double", "citation double"},
		{"Voir [le site](https://exemple.fr) et ![logo](l.png).", "Voir le site et logo."},
		{"snake_case reste, __souligné__ part, ___ laisse un _", "snake_case reste, souligné part, _ laisse un _"},
		{"a ~ b ~~c~~ ~~~", "a ~ b c ~"},
		{"espaces\u00a0insécables\u2003et\ttabulations   multiples", "espaces insécables et tabulations multiples"},
		{"lignes\r\nWindows\r\n\r\n", "lignes Windows"},
		{"octet\xffinvalide", "octet\xffinvalide"},
		{"", ""},
		{"  \n \n ", ""},
	} {
		if got := plainText(c.md); got != c.want {
			t.Errorf("plainText(%q) = %q, want %q", c.md, got, c.want)
		}
	}
}
