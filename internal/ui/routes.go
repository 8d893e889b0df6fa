package ui

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/remind"
)

// route is one row of the route table. A route that changes data (any
// method but GET) declares the account.Action it needs, checked by guard
// through account.Can before the handler runs, or is one of the few open
// forms anyone may post (sign-up, login…), marked open. Either way its CSRF
// token is checked.
type route struct {
	method  string
	path    string
	handler fiber.Handler
	action  account.Action // the permission, checked on target
	target  targetKind     // what the action is about
	session bool           // a signed-in user is needed (implied by action)
	open    bool           // a form for anyone: CSRF checked, no permission
	// signed is a link from a mail whose URL carries its own signature,
	// such as a one-click unsubscribe (RFC 8058): mail clients post it
	// without cookies, so no session and no CSRF token; the handler checks
	// the signature.
	signed bool
}

func get(path string, h fiber.Handler) route {
	return route{method: http.MethodGet, path: path, handler: h}
}

// page is a GET page of the partner space that needs a signed-in user, and
// the action when viewing it is granted to those who may do it.
func page(path string, h fiber.Handler, action account.Action, t targetKind) route {
	return route{method: http.MethodGet, path: path, handler: h, action: action, target: t, session: true}
}

// post is a mutating route guarded by an action.
func post(path string, h fiber.Handler, action account.Action, t targetKind) route {
	return route{method: http.MethodPost, path: path, handler: h, action: action, target: t, session: true}
}

// openPost is a form anyone may post: its handler decides everything from
// what it is given (a password, a single-use link).
func openPost(path string, h fiber.Handler) route {
	return route{method: http.MethodPost, path: path, handler: h, open: true}
}

// signedPost is a mutating route whose URL is its authority (see signed).
func signedPost(path string, h fiber.Handler) route {
	return route{method: http.MethodPost, path: path, handler: h, signed: true}
}

// table is the one route table of the site.
func (s *Server) table() []route {
	return []route{
		// Public site.
		get("/", s.home),
		get("/recherche", s.searchResults),
		get("/services/:ref", s.serviceShow),
		{method: http.MethodGet, path: "/services/:ref/signaler", handler: s.serviceReportForm, open: true},
		openPost("/services/:ref/signaler", s.serviceReportSubmit),
		get("/structures/:ref", s.structureShow),
		get("/communes/:ref/contour.geojson", s.communeContour),
		get("/communes/:ref", s.communeShow),
		get("/departements", s.departementList),
		get("/departements/:ref", s.departementShow),
		get("/thematiques", s.thematiqueList),
		get("/observatoire", s.observatoryShow),
		get("/observatoire/donnees.:format", s.observatoryDownload),
		get("/thematiques/:slug", s.thematiqueShow),
		get("/flux/recherche.:format", s.feedSearch),
		get("/communes/:ref/flux.:format", s.feedCommune),
		get("/departements/:ref/flux.:format", s.feedDepartement),
		get("/thematiques/:slug/flux.:format", s.feedThematique),
		get("/a-propos", s.info("about", "À propos", "Repère, la cartographie de l’offre d’insertion : d’où viennent les données et comment fonctionne la recherche.", sectionAbout)),
		get("/mentions-legales", s.info("legal", "Mentions légales", "Mentions légales et données personnelles du site Repère.", "")),
		get("/accessibilite", s.info("accessibility", "Déclaration d’accessibilité", "Déclaration d’accessibilité du site Repère.", "")),
		get("/plan-du-site", s.info("plan", "Plan du site", "Plan du site Repère.", "")),
		get("/donnees", s.openDataShow),
		get("/donnees/:file", s.openDataFile),
		get("/sitemap.xml", s.sitemapIndex),
		get("/sitemaps/:part", s.sitemapPart),
		get("/robots.txt", s.robots),
		get("/favicon.ico", func(c *fiber.Ctx) error {
			return c.Redirect(s.assets.URL(faviconICO), http.StatusMovedPermanently)
		}),
		get("/api/v1/search/services", s.apiSearch),
		get("/api/v1/search/services.:format", s.searchDownload),
		get("/api/v1/services", s.apiServices),
		get("/api/v1/services/:id", s.apiService),
		get("/api/v1/structures", s.apiStructures),
		get("/api/v1/structures/:id", s.apiStructure),
		get("/api/v1/communes", s.apiCommunes),
		get("/api/v1/territoires", s.apiTerritories),
		get("/api/v1/horaires", s.apiHours),
		get("/api/v1/openapi.json", s.apiOpenAPI),
		get("/api", s.apiDoc),
		get("/healthz", s.healthz),
		get("/readyz", s.readyz),
		get("/static/:version/*", s.static),

		// Accounts.
		{method: http.MethodGet, path: "/inscription", handler: s.signupForm, open: true},
		openPost("/inscription", s.signupSubmit),
		{method: http.MethodGet, path: account.VerifyPath, handler: s.verifyForm, open: true},
		openPost(account.VerifyPath, s.verifySubmit),
		{method: http.MethodGet, path: account.LoginPath, handler: s.loginForm, open: true},
		openPost(account.LoginPath, s.loginSubmit),
		openPost("/connexion/proconnect", s.proconnectStart),
		{method: http.MethodGet, path: "/connexion/proconnect/retour", handler: s.proconnectFinish, open: true},
		openPost("/deconnexion", s.logout),
		{method: http.MethodGet, path: "/compte/mot-de-passe/oubli", handler: s.passwordForgotForm, open: true},
		openPost("/compte/mot-de-passe/oubli", s.passwordForgotSubmit),
		{method: http.MethodGet, path: account.ResetPath, handler: s.passwordResetForm, open: true},
		openPost(account.ResetPath, s.passwordResetSubmit),
		page("/compte", s.accountShow, account.AccountEdit, targetSelf),
		post("/compte", s.accountUpdate, account.AccountEdit, targetSelf),
		post("/compte/mot-de-passe", s.passwordChange, account.AccountPassword, targetSelf),
		post("/compte/deconnexion-partout", s.logoutEverywhere, account.AccountLogoutEverywhere, targetSelf),
		post("/compte/rappels", s.remindersUpdate, account.AccountEdit, targetSelf),
		get(remind.StopPath+"/:user/:kind/:sig", s.reminderStopForm),
		signedPost(remind.StopPath+"/:user/:kind/:sig", s.reminderStop),
		{method: http.MethodGet, path: remind.FreshPath, handler: s.serviceConfirmForm, open: true},
		openPost(remind.FreshPath, s.serviceConfirm),

		// Alerts: saved searches mailed. Anyone may post these forms; the
		// handlers act for the signed-in user's address or for the one a
		// signed link from a mail names.
		{method: http.MethodGet, path: alert.ListPath, handler: s.alertsShow, open: true},
		{method: http.MethodGet, path: alert.NewPath, handler: s.alertNew, open: true},
		openPost(alert.NewPath, s.alertCreate),
		{method: http.MethodGet, path: alert.ConfirmPath, handler: s.alertConfirmForm, open: true},
		openPost(alert.ConfirmPath, s.alertConfirm),
		openPost(alert.ListPath+"/lien", s.alertsLink),
		openPost(alert.ListPath+"/:alerte/frequence", s.alertUpdate),
		openPost(alert.ListPath+"/:alerte/supprimer", s.alertDelete),
		get(alert.UnsubscribePath+"/:alerte/:sig", s.alertUnsubscribeForm),
		signedPost(alert.UnsubscribePath+"/:alerte/:sig", s.alertUnsubscribe),
		{method: http.MethodGet, path: "/dev/courriels", handler: s.mailboxShow, open: true},

		// Partner space.
		page(account.DashboardPath, s.dashboardShow, "", targetNone),
		page("/espace/session", s.sessionPing, "", targetNone),
		openPost("/espace/apercu", s.descriptionPreview),
		page("/espace/structures/nouvelle", s.structureNew, account.StructureCreate, targetNone),
		post("/espace/structures", s.structureCreate, account.StructureCreate, targetNone),
		page("/espace/structures/rejoindre", s.structureJoinForm, account.StructureJoin, targetNone),
		page("/espace/structures/:structure", s.structureManage, account.ServiceCreate, targetStructure),
		page("/espace/structures/:structure/modifier", s.structureEdit, account.StructureEdit, targetStructure),
		post("/espace/structures/:structure/modifier", s.structureUpdate, account.StructureEdit, targetStructure),
		post("/espace/structures/:structure/rejoindre", s.structureJoin, account.StructureJoin, targetStructure),
		post("/espace/structures/:structure/demande/annuler", s.joinCancel, account.JoinCancel, targetSelf),
		page("/espace/structures/:structure/membres", s.membersShow, account.MemberInvite, targetStructure),
		post("/espace/structures/:structure/invitations", s.memberInvite, account.MemberInvite, targetStructure),
		post("/espace/structures/:structure/invitations/annuler", s.invitationRevoke, account.InvitationRevoke, targetStructure),
		post("/espace/structures/:structure/demandes/:user/accepter", s.joinAccept, account.JoinAccept, targetStructure),
		post("/espace/structures/:structure/demandes/:user/refuser", s.joinRefuse, account.JoinRefuse, targetStructure),
		post("/espace/structures/:structure/membres/:user/role", s.memberRole, account.MemberRole, targetStructure),
		post("/espace/structures/:structure/membres/:user/retirer", s.memberRemove, account.MemberRemove, targetStructure),
		post("/espace/structures/:structure/quitter", s.memberLeave, account.MemberLeave, targetStructure),
		page("/espace/structures/:structure/antennes/nouvelle", s.antenneNew, account.AntenneCreate, targetStructure),
		post("/espace/structures/:structure/antennes", s.antenneCreate, account.AntenneCreate, targetStructure),
		page("/espace/structures/:structure/services/nouveau", s.serviceNew, account.ServiceCreate, targetStructure),
		post("/espace/structures/:structure/services", s.serviceCreate, account.ServiceCreate, targetStructure),
		{method: http.MethodGet, path: account.InvitationPath, handler: s.invitationShow, open: true},
		post(account.InvitationPath, s.invitationAccept, account.InvitationAccept, targetNone),

		post("/espace/services/a-jour", s.servicesMarkFresh, account.ServiceMarkFresh, targetServices),
		page("/espace/services/:service", s.serviceEdit, account.ServiceEdit, targetService),
		post("/espace/services/:service", s.serviceUpdate, account.ServiceEdit, targetService),
		page("/espace/services/:service/historique", s.serviceHistory, account.ServiceEdit, targetService),
		post("/espace/services/:service/publier", s.servicePublish, account.ServicePublish, targetService),
		post("/espace/services/:service/archiver", s.serviceArchive, account.ServiceArchive, targetService),
		post("/espace/services/:service/suspendre", s.serviceSuspend, account.ServiceSuspend, targetService),
		post("/espace/services/:service/dupliquer", s.serviceDuplicate, account.ServiceDuplicate, targetService),
		post("/espace/services/:service/a-jour", s.serviceMarkFresh, account.ServiceMarkFresh, targetService),

		page(account.ModerationPath, s.moderationQueue, "", targetNone),
		page(partnersPath, s.observatoryPartners, "", targetNone),
		page(demandPath, s.observatoryDemand, "", targetNone),
		page("/espace/moderation/:structure", s.moderationShow, account.ModerationReview, targetStructure),
		post("/espace/moderation/:structure", s.moderationReview, account.ModerationReview, targetStructure),
		page("/espace/administration/gestionnaires", s.moderatorsShow, account.ModeratorAppoint, targetNone),
		post("/espace/administration/gestionnaires", s.moderatorAppoint, account.ModeratorAppoint, targetNone),

		page(importsPath, s.importsShow, account.ImportRun, targetTerritory),
		post(importsPath, s.importUpload, account.ImportRun, targetTerritory),
		post(importsPath+"/datainclusion", s.importSync, account.ImportRun, targetTerritory),
		page(importsPath+"/modele.xlsx", s.importTemplate, "", targetNone),
		page(importsPath+"/propositions", s.importProposals, account.ImportRun, targetTerritory),
		page(importsPath+"/:run", s.importShow, account.ImportRun, targetTerritory),
		post(importsPath+"/:run/confirmer", s.importConfirm, account.ImportRun, targetTerritory),
		page(outboxPath, s.outboxShow, account.OutboxRetry, targetNone),
		post(outboxPath+"/renvoyer", s.outboxRetry, account.OutboxRetry, targetNone),
	}
}

// routes mounts the table.
func (s *Server) routes(app *fiber.App) {
	for _, r := range s.table() {
		handlers := []fiber.Handler{r.handler}
		if r.partner() {
			handlers = []fiber.Handler{s.guard(r), r.handler}
		}
		app.Add(r.method, r.path, handlers...)
		if r.method == http.MethodGet {
			// Monitors, link checkers and curl -I ask with HEAD: the same
			// answer, whose body fasthttp leaves out.
			app.Add(http.MethodHead, r.path, handlers...)
		}
	}
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}

// partner reports whether the route belongs to the accounts and the
// partner space, which go through guard.
func (r route) partner() bool { return r.open || r.session || r.action != "" }

// mutating reports whether the route may change data.
func (r route) mutating() bool { return r.method != http.MethodGet && r.method != http.MethodHead }
