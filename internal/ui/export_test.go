package ui

import "github.com/repere-spie/repere/internal/account"

// RouteInfo describes a route of the table, for tests and documentation.
type RouteInfo struct {
	Method, Path string
	Action       account.Action // "" for routes without a permission
	Open         bool           // a form anyone may post
	Session      bool           // a signed-in user is needed
	Signed       bool           // a link from a mail that carries its signature
}

// Routes lists the route table.
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range (&Server{}).table() {
		out = append(out, RouteInfo{Method: r.method, Path: r.path, Action: r.action, Open: r.open, Session: r.session, Signed: r.signed})
	}
	return out
}
