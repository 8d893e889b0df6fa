package ui

// The feeds of new offers (Atom, RSS, JSON Feed) come with their own issue.
// The pages already have their places: Layout.Feeds becomes <link
// rel="alternate"> in the head, and the partial "subscribe" shows an
// "S’abonner" block on the results, commune and département pages. These
// hooks say which feeds a page has; until the feeds are served, none.

// feedLinks returns the feeds of a search: the results page, and the commune
// page with the search of its commune.
func (s *Server) feedLinks(f searchForm) []Feed {
	return nil
}

// departementFeedLinks returns the feeds of a département page.
func (s *Server) departementFeedLinks(code string) []Feed {
	return nil
}
