package ui

import (
	"net/url"
	"strings"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/opendata"
)

// download is a link of the partial "download": a search as a file.
type download struct {
	URL, Label, Detail string
}

// downloads are the files of a search, served by searchDownload: the
// search in the API's words, without its page.
func downloads(q *directory.SearchQuery, total int) []download {
	var b strings.Builder
	for _, kv := range q.Values(directory.APISearch) {
		if kv[0] == "page" || kv[0] == "size" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]) + "=" + url.QueryEscape(kv[1]))
	}
	query := b.String()
	if query != "" {
		query = "?" + query
	}
	out := make([]download, len(opendata.Formats))
	for i, f := range opendata.Formats {
		out[i] = download{URL: "/api/v1/search/services." + f.Ext + query, Label: f.Label, Detail: countLabel(total)}
	}
	return out
}
