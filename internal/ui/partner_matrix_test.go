package ui_test

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/internal/ui"
)

// The roles of the permission matrix, in column order.
var roleNames = []string{
	"anonyme", "connecté sans structure", "membre", "administrateur", "administrateur d’une autre structure",
	"gestionnaire du territoire", "gestionnaire d’un autre territoire", "administrateur de la plateforme",
}

// allowed has one row per action: X allowed, . refused, one column per
// role. It is written out here, not derived from the account package, so
// that a change of either side shows.
var allowed = map[account.Action]string{
	account.AccountEdit:             ".XXXXXXX",
	account.AccountPassword:         ".XXXXXXX",
	account.AccountLogoutEverywhere: ".XXXXXXX",
	account.StructureCreate:         ".XXXXXXX",
	account.StructureJoin:           ".XXXXXXX",
	account.JoinCancel:              ".XXXXXXX",
	account.InvitationAccept:        ".XXXXXXX",
	account.StructureEdit:           "...X.X.X",
	account.AntenneCreate:           "...X.X.X",
	account.MemberInvite:            "...X.X.X",
	account.InvitationRevoke:        "...X.X.X",
	account.JoinAccept:              "...X.X.X",
	account.JoinRefuse:              "...X.X.X",
	account.MemberRole:              "...X.X.X",
	account.MemberRemove:            "...X.X.X",
	account.MemberLeave:             "..XX....",
	account.ServiceCreate:           "..XX.X.X",
	account.ServiceEdit:             "..XX.X.X",
	account.ServicePublish:          "..XX.X.X",
	account.ServiceArchive:          "..XX.X.X",
	account.ServiceSuspend:          "..XX.X.X",
	account.ServiceDuplicate:        "..XX.X.X",
	account.ServiceMarkFresh:        "..XX.X.X",
	account.ModerationReview:        ".....X.X",
	account.ModeratorAppoint:        ".......X",
	account.ImportRun:               ".....XXX", // each moderator in their own territory
	account.OutboxRetry:             ".......X",
}

// openForms are the mutating routes anyone may post: each one's handler
// decides from what it is given (a password, a single-use link). Adding
// one is a decision, taken here.
var openForms = []string{
	"POST /inscription", "POST /compte/confirmer", "POST /connexion", "POST /connexion/proconnect", "POST /deconnexion",
	"POST /compte/mot-de-passe/oubli", "POST /compte/mot-de-passe/nouveau", "POST /espace/apercu",
	"POST /services/:ref/signaler",
	"POST /rappels/a-jour", "POST /alertes/nouvelle", "POST /alertes/confirmer", "POST /alertes/lien",
	"POST /alertes/:alerte/frequence", "POST /alertes/:alerte/supprimer",
}

// signedLinks are the mutating routes a mail client posts without cookies:
// their URL carries a signature the handler checks.
var signedLinks = []string{"POST /rappels/desabonnement/:user/:kind/:sig", "POST /alertes/desabonnement/:alerte/:sig"}

// cast are the people of the matrix, signed in once for the whole binary.
type cast struct {
	roles                         []*visitor // by column; the anonymous one has no session
	coadmin, requester, candidate *visitor
}

var (
	castOnce sync.Once
	theCast  *cast
)

const (
	rAnon = iota
	rLambda
	rMember
	rAdmin
	rOtherAdmin
	rModerator
	rOtherModerator
	rPlatform
)

func people(t *testing.T, e *partnerEnv) *cast {
	t.Helper()
	castOnce.Do(func() {
		c := &cast{roles: []*visitor{e.visitor(t)}}
		for _, name := range roleNames[1:] {
			c.roles = append(c.roles, e.member(t, strings.ToUpper(name[:1])+name[1:]))
		}
		c.coadmin, c.requester, c.candidate = e.member(t, "Co-administratrice"), e.member(t, "Demandeur"), e.member(t, "Candidate")
		ctx := context.Background()
		if err := e.accounts.SetPlatformAdmin(ctx, c.roles[rPlatform].email, true); err != nil {
			t.Fatal(err)
		}
		for r, dep := range map[int]string{rModerator: "86", rOtherModerator: "37"} {
			if _, err := e.accounts.AppointModerator(ctx, c.roles[rPlatform].actor(), c.roles[r].email, []string{dep}); err != nil {
				t.Fatal(err)
			}
		}
		e.createStructure(t, c.roles[rOtherAdmin], "Structure de l’autre administrateur")
		theCast = c
	})
	if theCast == nil {
		t.Fatal("cast not set up")
	}
	theCast.roles[rAnon].t = t
	for _, v := range append(slices.Clone(theCast.roles), theCast.coadmin, theCast.requester, theCast.candidate) {
		v.t = t
	}
	return theCast
}

// cell is the fresh data one request of the matrix acts on: a structure S
// (in the Vienne) with an administrator, a member, a second administrator,
// a pending join request and invitation, and a complete draft service; and
// a structure J none of the roles belongs to.
type cell struct {
	S, J    *directory.Structure
	svc     *directory.Service
	invitee string
	siret   string // of a structure the request may create
	token   string // an invitation of the acting role to J
	dryRun  string // the id of an import's dry run by the acting role
}

func (c *cast) setup(t *testing.T, e *partnerEnv) *cell {
	t.Helper()
	admin := c.roles[rAdmin]
	x := &cell{S: e.createStructure(t, admin, "Structure "+uniq()), J: e.createStructure(t, c.coadmin, "Structure J "+uniq()), siret: newSIRET()}
	e.join(t, c.roles[rMember], admin, x.S.ID, directory.RoleMember)
	e.join(t, c.coadmin, admin, x.S.ID, directory.RoleAdmin)
	e.join(t, c.requester, admin, x.S.ID, "")
	x.invitee = "invite" + uniq() + "@exemple.fr"
	if err := e.accounts.Invite(context.Background(), admin.actor(), x.S.ID, x.invitee, directory.RoleMember); err != nil {
		t.Fatal(err)
	}
	x.svc = e.createService(t, completeService(x.S.ID, "Service "+uniq()))
	return x
}

// request is what a route of the matrix is sent, and what it prepares.
type request struct {
	path    func(x *cell) string
	form    func(x *cell, who *visitor) url.Values
	file    []byte                                                            // posted as the import form's file instead of form
	prepare func(t *testing.T, e *partnerEnv, c *cast, x *cell, who *visitor) // before the request, for signed-in roles
}

func at(p string) func(*cell) string { return func(*cell) string { return p } }
func onS(suffix string) func(*cell) string {
	return func(x *cell) string { return "/espace/structures/" + x.S.ID + suffix }
}
func onJ(suffix string) func(*cell) string {
	return func(x *cell) string { return "/espace/structures/" + x.J.ID + suffix }
}
func onService(suffix string) func(*cell) string {
	return func(x *cell) string { return "/espace/services/" + x.svc.ID + suffix }
}

// serviceForm is the editor's form for svc.
func serviceForm(svc *directory.Service) url.Values {
	v := url.Values{"nom": {svc.Name}, "description": {svc.Description}, "thematiques": svc.Thematiques,
		"modes_accueil": svc.ReceptionModes, "adresse": {svc.Address}, "code_insee": {svc.CodeInsee}, "commune": {svc.CommuneName},
		"code_postal": {svc.PostalCode}, "telephone": {svc.Phone}, "version_lue": {itoa(svc.Version)}}
	for _, z := range svc.EligibilityZone {
		v.Add("zone_eligibilite", z.Key())
	}
	return v
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// requests has a row for every mutating route of the table that needs a
// permission: a route without one fails TestPermissionMatrix.
var requests = map[string]request{
	"POST /compte": {path: at("/compte"), form: func(*cell, *visitor) url.Values { return url.Values{"nom": {"Nom changé " + uniq()}} }},
	"POST /compte/mot-de-passe": {path: at("/compte/mot-de-passe"), form: func(_ *cell, who *visitor) url.Values {
		return url.Values{"mot_de_passe_actuel": {who.pass}, "nouveau_mot_de_passe": {"une phrase neuve numéro " + uniq()}}
	}},
	"POST /compte/deconnexion-partout": {path: at("/compte/deconnexion-partout")},
	"POST /compte/rappels":             {path: at("/compte/rappels"), form: func(*cell, *visitor) url.Values { return url.Values{"rappels": {"fraicheur"}} }},
	"POST /espace/structures": {path: at("/espace/structures"), form: func(x *cell, _ *visitor) url.Values {
		f := structureForm("Nouvelle structure " + uniq())
		f.Set("siret", x.siret)
		return f
	}},
	"POST /espace/structures/:structure/modifier": {path: onS("/modifier"), form: func(x *cell, _ *visitor) url.Values {
		f := structureForm(x.S.Name + " (modifiée)")
		f.Del("siret")
		f.Set("version_lue", itoa(x.S.Version))
		return f
	}},
	"POST /espace/structures/:structure/rejoindre": {path: onJ("/rejoindre"), form: func(*cell, *visitor) url.Values {
		return url.Values{"message": {"Bonjour, je travaille ici."}}
	}},
	"POST /espace/structures/:structure/demande/annuler": {path: onJ("/demande/annuler"),
		prepare: func(t *testing.T, e *partnerEnv, c *cast, x *cell, who *visitor) { e.join(t, who, nil, x.J.ID, "") }},
	"POST /espace/structures/:structure/invitations": {path: onS("/invitations"), form: func(*cell, *visitor) url.Values {
		return url.Values{"email": {"nouvelle" + uniq() + "@exemple.fr"}, "role": {"membre"}}
	}},
	"POST /espace/structures/:structure/invitations/annuler": {path: onS("/invitations/annuler"), form: func(x *cell, _ *visitor) url.Values {
		return url.Values{"email": {x.invitee}}
	}},
	"POST /espace/structures/:structure/demandes/:user/accepter": {path: requesterPath("/accepter"), form: func(*cell, *visitor) url.Values {
		return url.Values{"role": {"membre"}}
	}},
	"POST /espace/structures/:structure/demandes/:user/refuser": {path: requesterPath("/refuser")},
	"POST /espace/structures/:structure/membres/:user/role": {path: memberPath("/role"), form: func(*cell, *visitor) url.Values {
		return url.Values{"role": {"administrateur"}}
	}},
	"POST /espace/structures/:structure/membres/:user/retirer": {path: memberPath("/retirer")},
	"POST /espace/structures/:structure/quitter":               {path: onS("/quitter")},
	"POST /espace/structures/:structure/antennes": {path: onS("/antennes"), form: func(*cell, *visitor) url.Values {
		f := structureForm("Antenne " + uniq())
		f.Del("siret")
		return f
	}},
	"POST /espace/structures/:structure/services": {path: onS("/services"), form: func(*cell, *visitor) url.Values {
		return url.Values{"nom": {"Nouveau service " + uniq()}}
	}},
	"POST /invitations/accepter": {path: at(account.InvitationPath),
		prepare: func(t *testing.T, e *partnerEnv, c *cast, x *cell, who *visitor) {
			if err := e.accounts.Invite(context.Background(), c.coadmin.actor(), x.J.ID, who.email, directory.RoleMember); err != nil {
				t.Fatal(err)
			}
			x.token = e.token(t, who.email, x.J.Name)
		},
		form: func(x *cell, _ *visitor) url.Values { return url.Values{"jeton": {x.token}} }},
	"POST /espace/services/a-jour": {path: at("/espace/services/a-jour"), form: func(x *cell, _ *visitor) url.Values {
		return url.Values{"services": {x.svc.ID}}
	}},
	"POST /espace/services/:service": {path: onService(""), form: func(x *cell, _ *visitor) url.Values {
		f := serviceForm(x.svc)
		f.Set("nom", x.svc.Name+" modifié")
		return f
	}},
	"POST /espace/services/:service/publier":  {path: onService("/publier"), form: func(x *cell, _ *visitor) url.Values { return serviceForm(x.svc) }},
	"POST /espace/services/:service/archiver": {path: onService("/archiver")},
	"POST /espace/services/:service/suspendre": {path: onService("/suspendre"), form: func(*cell, *visitor) url.Values {
		return url.Values{"jusqu_au": {time.Now().In(directory.Paris).AddDate(0, 0, 7).Format(time.DateOnly)}}
	}},
	"POST /espace/services/:service/dupliquer": {path: onService("/dupliquer")},
	"POST /espace/services/:service/a-jour":    {path: onService("/a-jour")},
	"POST /espace/moderation/:structure": {path: func(x *cell) string { return "/espace/moderation/" + x.S.ID }, form: func(*cell, *visitor) url.Values {
		return url.Values{"decision": {"validee"}}
	}},
	"POST /espace/imports": {path: at("/espace/imports"), file: importCSV},
	"POST /espace/imports/datainclusion": {path: at("/espace/imports/datainclusion"), form: func(_ *cell, who *visitor) url.Values {
		dep := "86"
		if who.id != "" {
			if deps := who.actor().User.ModeratorOf; len(deps) > 0 {
				dep = deps[0]
			}
		}
		return url.Values{"departement": {dep}}
	}},
	"POST /espace/imports/:run/confirmer": {
		path: func(x *cell) string { return "/espace/imports/" + cmp.Or(x.dryRun, "aucun-essai") + "/confirmer" },
		prepare: func(t *testing.T, e *partnerEnv, _ *cast, x *cell, who *visitor) {
			x.dryRun = e.dryRun(t, who, "services.csv", importCSV)
		}},
	"POST /espace/administration/gestionnaires": {path: at("/espace/administration/gestionnaires"), form: func(*cell, *visitor) url.Values {
		return url.Values{"email": {theCast.candidate.email}, "departements": {"79 " + []string{"16", "17"}[seq.Add(1)%2]}}
	}},
	"POST /espace/administration/courriels/renvoyer": {path: at("/espace/administration/courriels/renvoyer"),
		form: func(x *cell, _ *visitor) url.Values { return url.Values{"cle": {failedMailKey(x)}} },
		prepare: func(t *testing.T, e *partnerEnv, c *cast, x *cell, who *visitor) {
			ctx := context.Background()
			m := &store.OutboxMessage{ID: failedMailKey(x), Kind: "rappel", To: "inconnu@exemple.fr", Subject: "Rappel", Text: "Bonjour"}
			if err := e.store.QueueMail(ctx, m, time.Now()); err != nil {
				t.Fatal(err)
			}
			m.State, m.Attempts, m.LastError = store.OutboxFailed, 1, "550 5.1.1 No such user"
			if err := e.store.SaveOutboxMessage(ctx, m); err != nil {
				t.Fatal(err)
			}
		}},
}

// failedMailKey is the key of the mail in failure the cell's administrator
// may send again.
func failedMailKey(x *cell) string { return "matrice:" + x.S.ID }

func requesterPath(suffix string) func(*cell) string {
	return func(x *cell) string { return onS("/demandes/" + theCast.requester.id + suffix)(x) }
}

func memberPath(suffix string) func(*cell) string {
	return func(x *cell) string { return onS("/membres/" + theCast.roles[rMember].id + suffix)(x) }
}

// state is what a request may change, as one comparable string.
func (e *partnerEnv) state(t *testing.T, c *cast, x *cell) string {
	t.Helper()
	ctx := context.Background()
	var parts []any
	add := func(v any, err error) {
		if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatal(err)
		}
		parts = append(parts, v)
	}
	add(e.store.Structure(ctx, x.S.ID))
	add(e.store.StructureAccount(ctx, x.S.ID))
	add(e.store.StructureAccount(ctx, x.J.ID))
	add(e.store.Service(ctx, x.svc.ID))
	add(e.store.CountServices(ctx)) // a new service anywhere; a filtered query would scan them all
	add(e.store.StructureIDBySIRET(ctx, x.siret))
	add(e.store.History(ctx, store.ServiceHistoryKey(x.svc.ID)))
	add(e.store.History(ctx, store.StructureHistoryKey(x.S.ID)))
	add(e.imports.History(ctx, 1000, nil))
	add(e.store.OutboxMessage(ctx, failedMailKey(x)))
	for _, v := range append(slices.Clone(c.roles[1:]), c.requester, c.candidate) {
		u, err := e.store.User(ctx, v.id)
		if u != nil {
			u.LastLoginAt = nil
		}
		add(u, err)
	}
	b, err := json.Marshal(parts)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// toLogin reports whether a redirect is to the login page for lack of a
// session (the login page after a logout is a success).
func toLogin(location string) bool {
	return location == account.LoginPath || strings.HasPrefix(location, account.LoginPath+"?retour=")
}

func routeKey(r ui.RouteInfo) string { return r.Method + " " + r.Path }

// TestRouteTable checks the table itself: every route that changes data
// declares the permission it needs, or is one of the known open forms.
func TestRouteTable(t *testing.T) {
	var open, signed []string
	for _, r := range ui.Routes() {
		if r.Method == http.MethodGet {
			continue
		}
		switch {
		case r.Signed:
			signed = append(signed, routeKey(r))
		case r.Action == "" && !r.Open:
			t.Errorf("%s changes data and declares no account.Action", routeKey(r))
		case r.Action != "" && r.Open:
			t.Errorf("%s is both open and guarded by %s", routeKey(r), r.Action)
		case r.Open:
			open = append(open, routeKey(r))
		case !slices.Contains(account.Actions(), r.Action):
			t.Errorf("%s declares an unknown action %q", routeKey(r), r.Action)
		}
	}
	slices.Sort(open)
	want := slices.Clone(openForms)
	slices.Sort(want)
	if !slices.Equal(open, want) {
		t.Errorf("open forms are %v, want %v: an open route is a decision, add it to openForms", open, want)
	}
	slices.Sort(signed)
	if want := slices.Sorted(slices.Values(signedLinks)); !slices.Equal(signed, want) {
		t.Errorf("signed links are %v, want %v: a route without CSRF is a decision, add it to signedLinks", signed, want)
	}
}

// TestPermissionMatrix sends every mutating route of the table as every
// role, with real sessions and valid CSRF tokens, on fresh data each time:
// a refused request answers 403 (or the login page, anonymously) and
// changes nothing; an allowed one succeeds and changes something.
func TestPermissionMatrix(t *testing.T) {
	e := partner(t)
	c := people(t, e)
	mismatches := 0
	for _, r := range ui.Routes() {
		if r.Method == http.MethodGet || r.Open || r.Signed {
			continue
		}
		key := routeKey(r)
		req, ok := requests[key]
		row, known := allowed[r.Action]
		if !ok || !known {
			t.Errorf("%s (%s) has no row in the permission matrix", key, r.Action)
			mismatches++
			continue
		}
		for role, who := range c.roles {
			x := c.setup(t, e)
			if req.prepare != nil && role != rAnon {
				req.prepare(t, e, c, x, who)
			}
			before := e.state(t, c, x)
			var form url.Values
			if req.form != nil {
				form = req.form(x, who)
			}
			var p page
			if req.file != nil {
				p = who.upload(req.path(x), "services.csv", req.file, false)
			} else {
				p = who.post(req.path(x), form)
			}
			after := e.state(t, c, x)
			want := row[role] == 'X'
			refused := p.status == http.StatusForbidden || p.status == http.StatusSeeOther && toLogin(p.location)
			success := p.status == http.StatusSeeOther && !refused
			switch {
			case want && !success:
				t.Errorf("%s as %s: %d %s, want success", key, roleNames[role], p.status, p.location)
				mismatches++
			case want && before == after:
				t.Errorf("%s as %s: succeeded but changed nothing", key, roleNames[role])
				mismatches++
			case !want && !refused:
				t.Errorf("%s as %s: %d %s, want refusal", key, roleNames[role], p.status, p.location)
				mismatches++
			case !want && before != after:
				t.Errorf("%s as %s: refused but the data changed", key, roleNames[role])
				mismatches++
			case role == rAnon && p.status != http.StatusSeeOther:
				t.Errorf("%s anonymously: %d, want the login page", key, p.status)
				mismatches++
			}
			// Put the role back as it was for the next cells.
			if want && role != rAnon {
				switch r.Action {
				case account.AccountPassword:
					who.pass = form.Get("nouveau_mot_de_passe")
				case account.AccountLogoutEverywhere:
					who.login()
				}
			}
		}
	}
	t.Logf("permission matrix: %d routes × %d roles, %d mismatches", len(requests), len(roleNames), mismatches)
}
