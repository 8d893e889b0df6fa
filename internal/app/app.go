// Package app is the composition root of Repère: it opens the store, the
// geography, the search index and the partner accounts, and builds the site
// on them. The binary, the tests and the benchmarks all start the site
// through Main.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/indexer"
	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/alert"
	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/config"
	"github.com/repere-spie/repere/internal/demand"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/importer"
	"github.com/repere-spie/repere/internal/mail"
	"github.com/repere-spie/repere/internal/observatory"
	"github.com/repere-spie/repere/internal/oidc"
	"github.com/repere-spie/repere/internal/opendata"
	"github.com/repere-spie/repere/internal/outbox"
	"github.com/repere-spie/repere/internal/remind"
	"github.com/repere-spie/repere/internal/schedule"
	"github.com/repere-spie/repere/internal/store"
	"github.com/repere-spie/repere/internal/ui"
)

// Main is the whole site: the binary, the tests and the benchmarks start
// it the same way. Fields set before Open are kept: a test may give the
// geography it already loaded, or a fixed clock.
type Main struct {
	Config    *config.Config
	Logger    *slog.Logger
	Now       func() time.Time // the clock of the pages; nil means time.Now
	Store     *store.Store
	Geography *directory.Geography
	Gazetteer *geo.Gazetteer
	Index     *indexer.Index
	Catalog   *catalog.Catalog
	Accounts  *account.Accounts
	Mailbox   *mail.Mailbox // the development mailbox, when asked for (REPERE_DEV_MAILBOX) without SMTP server
	Mail      mail.Sender   // SMTP, the development mailbox, or mail.Unconfigured
	Outbox    *outbox.Outbox
	Demand    *demand.Counter // counts the searches, and those without results (Run flushes it)
	Reminders *remind.Reminders
	Alerts    *alert.Alerts
	OpenData  *opendata.Data
	App       *fiber.App
	// Scheduler runs the periodic jobs, once per slot among the instances
	// sharing the store; Open registers them, Run starts it.
	Scheduler *schedule.Scheduler
	// Imports runs the imports started in the partner space.
	Imports *importer.Runs
	// Observatory holds the coverage of the offer, computed in the
	// background (each instance from its own index).
	Observatory *observatory.Observatory

	stats  atomic.Pointer[ui.Stats]
	secret []byte // signs CSRF tokens and the links of mails
}

// OpenStore connects to the configured store (starting the embedded one).
func (m *Main) OpenStore(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.Default()
	}
	if m.Store != nil {
		return nil
	}
	s, err := store.Open(ctx, store.Config{
		URI: m.Config.MongoURI, Database: m.Config.MongoDatabase, DataDir: m.Config.DataDir,
		EmbeddedAddr: m.Config.EmbeddedAddr, Logger: m.Logger,
	})
	if err != nil {
		return err
	}
	m.Store = s
	if s.Embedded() {
		m.Logger.Info("base embarquée démarrée", "dossier", m.Config.DataDir)
	}
	return nil
}

// Open prepares everything the site serves: store, geography (imported on the
// first start), demo data (when asked and the store is empty) and handlers.
func (m *Main) Open(ctx context.Context) error {
	if err := m.OpenBase(ctx); err != nil {
		return err
	}
	if m.Config.Demo {
		if err := m.EnsureDemo(ctx); err != nil {
			return err
		}
	}
	if err := m.OpenIndex(ctx, false); err != nil {
		return err
	}
	if err := m.OpenAccounts(ctx); err != nil {
		return err
	}
	// The home page's figures are counted in the background (a pass over
	// the index: 10 s at 1,000,000 services); until then it shows none.
	demo, err := m.Store.DemoInfo(ctx)
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return err
	}
	m.stats.Store(&ui.Stats{Demo: demo != nil})
	im, err := m.Importer(ctx)
	if err != nil {
		return err
	}
	m.Imports = &importer.Runs{Importer: im, Dir: filepath.Join(m.Config.DataDir, "imports"), Grace: m.Config.ImportGrace}
	if s := m.Config.Sync; s.URL != "" {
		m.Imports.Sync = &importer.APIReader{BaseURL: s.URL, Token: s.Token, Source: s.Source}
	}
	if m.Demand == nil {
		m.Demand = demand.New(m.Store, m.Logger)
	}
	m.openJobs()
	m.OpenData = opendata.New(opendata.Config{Store: m.Store, Index: m.Index, Gazetteer: m.Gazetteer,
		Dir: filepath.Join(m.Config.DataDir, "opendata"), BaseURL: m.Config.BaseURL, Logger: m.Logger, Now: m.Now})
	m.Observatory = observatory.New(m.Geography, m.Index, m.Logger, m.Now)
	m.Observatory.Store = m.Store
	app, err := ui.New(ui.Deps{
		Config: m.Config, Gazetteer: m.Gazetteer, Index: m.Index, Logger: m.Logger,
		Catalog: m.Catalog, Accounts: m.Accounts, Mailbox: m.Mailbox, Imports: m.Imports, Demand: m.Demand,
		Outbox: m.Outbox, Scheduler: m.Scheduler, Reminders: m.Reminders, Alerts: m.Alerts, OpenData: m.OpenData,
		Stats:       func() ui.Stats { return *m.stats.Load() },
		Site:        ui.Site{TilesURL: m.Config.TilesURL, TilesAttribution: m.Config.TilesAttribution, ContactEmail: m.Config.ContactEmail},
		Now:         m.Now,
		Observatory: m.Observatory,
		Ready:       m.ready,
	})
	if err != nil {
		return err
	}
	m.App = app
	return nil
}

// openJobs creates the outbox and the scheduler with every periodic job.
func (m *Main) openJobs() {
	m.Scheduler = schedule.New(schedule.Config{Store: m.Store, Logger: m.Logger, Now: m.Now})
	m.Outbox = outbox.New(m.Store, m.Mail, m.Logger, m.Now)
	m.Reminders = remind.New(remind.Config{Store: m.Store, Accounts: m.Accounts, Catalog: m.Catalog, Outbox: m.Outbox, BaseURL: m.Config.BaseURL,
		Secret: m.secret, Log: m.Logger, Now: m.Now, Imports: m.importsDone})
	m.Alerts = alert.New(alert.Config{Store: m.Store, Outbox: m.Outbox, Mail: m.Mail, Index: m.Index, Places: m.Gazetteer,
		BaseURL: m.Config.BaseURL, Secret: m.secret, Log: m.Logger, Now: m.Now, Allow: m.Accounts.AllowMail})
	for _, j := range []schedule.Job{
		{Name: "housekeeping", Label: "Suppression des sessions et liens expirés", When: schedule.Every(time.Hour), Run: m.housekeeping},
		{Name: "outbox", Label: "Envoi des courriels", When: schedule.Every(30 * time.Second), Run: m.Outbox.Send},
		{Name: "outbox-prune", Label: "Suppression des anciens courriels", When: schedule.Daily(4, 0), Run: m.Outbox.Prune},
		{Name: "alerts", Label: "Alertes des recherches enregistrées", When: schedule.Daily(7, 0), Run: m.Alerts.Run},
		{Name: "reminders-freshness", Label: "Rappel mensuel aux membres des structures", When: schedule.Monthly(1, 8, 0), Run: m.Reminders.Freshness},
		{Name: "reminders-requests", Label: "Rappel des demandes d’adhésion en attente", When: schedule.Daily(9, 0), Run: m.Reminders.JoinRequests},
		{Name: "reminders-moderation", Label: "Récapitulatif hebdomadaire des gestionnaires", When: schedule.Weekly(time.Monday, 8, 0), Run: m.Reminders.ModerationDigest},
	} {
		m.Scheduler.Add(j)
	}
	if m.Config.Sync.URL != "" {
		m.Scheduler.Add(schedule.Job{Name: "sync-datainclusion", Label: "Synchronisation quotidienne avec data·inclusion",
			When: schedule.Daily(m.Config.Sync.Hour, m.Config.Sync.Minute), Run: m.syncDataInclusion})
	}
}

// ready is the readiness of /readyz: the store answers and the index can
// search.
func (m *Main) ready(ctx context.Context) error {
	if err := m.Store.Ping(ctx); err != nil {
		return &ui.NotReady{Reason: "store unreachable", Err: err}
	}
	if err := m.Index.Ready(); err != nil {
		return &ui.NotReady{Reason: "search index unusable", Err: err}
	}
	return nil
}

// now is the site's clock.
func (m *Main) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// housekeeping deletes the expired sessions, links and counters, which
// FerretDB does not expire by itself.
func (m *Main) housekeeping(ctx context.Context, slot time.Time) error {
	n, err := m.Store.PruneExpired(ctx, m.now())
	if n > 0 {
		m.Logger.Info("documents expirés supprimés", "nombre", n)
	}
	return err
}

// LoadGeography reads the geography from the store, importing it first when
// the store has none.
func (m *Main) LoadGeography(ctx context.Context) error {
	_, err := m.Store.Geography(ctx)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		m.Logger.Info("première utilisation : import de la géographie", "source", m.Config.GeoSource)
		if err := m.ImportGeography(ctx, false); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	start := time.Now()
	g, info, err := m.Store.LoadGeography(ctx)
	if err != nil {
		return err
	}
	m.Geography, m.Gazetteer = g, geo.NewGazetteer(g)
	m.Logger.Info("géographie chargée", "communes", len(g.Communes), "importée le", info.ImportedAt.Format(time.DateOnly), "durée", time.Since(start).Round(time.Millisecond))
	return nil
}

// refreshStats counts, for the home page, what visitors can find: the
// visible services in the index (drafts, archives, duplicates and suspended
// services excluded), their structures and the communes they are in.
func (m *Main) refreshStats(ctx context.Context) error {
	st := ui.Stats{Demo: m.stats.Load().Demo, Counted: true}
	structures, communes := map[string]struct{}{}, map[string]struct{}{}
	err := m.Index.Each(ctx, func(h directory.Hit) error {
		st.Services++
		structures[h.StructureID] = struct{}{}
		if h.CommuneCode != "" {
			communes[h.CommuneCode] = struct{}{}
		}
		return nil
	})
	if err != nil {
		return err
	}
	st.Structures, st.Communes = len(structures), len(communes)
	m.stats.Store(&st)
	return nil
}

// OpenBase connects to the store and loads the geography, what every
// command stands on.
func (m *Main) OpenBase(ctx context.Context) error {
	if err := m.OpenStore(ctx); err != nil {
		return err
	}
	if m.Geography != nil {
		return nil
	}
	return m.LoadGeography(ctx)
}

// OpenIndex opens the search index and builds it from the store when asked,
// or when it is missing or of another mapping version.
func (m *Main) OpenIndex(ctx context.Context, rebuild bool) error {
	if m.Index == nil {
		ix, err := indexer.Open(m.Config.IndexDir, m.Gazetteer)
		if err != nil {
			return err
		}
		m.Index = ix
	}
	if m.Catalog == nil {
		m.Catalog = catalog.New(m.Store, m.Index, m.Gazetteer, m.Logger)
	}
	if rebuild || m.Index.NeedsRebuild() {
		return m.rebuildIndex(ctx)
	}
	return nil
}

func (m *Main) rebuildIndex(ctx context.Context) error {
	n, err := m.Store.CountServices(ctx)
	if err != nil {
		return err
	}
	m.Logger.Info("construction de l’index de recherche", "services", n)
	start := time.Now()
	p := m.progress(ctx)
	if err := m.Catalog.Rebuild(ctx, func(done int) { p.update("index", done, int(n)) }); err != nil {
		return fmt.Errorf("construction de l’index : %w", err)
	}
	m.Logger.Info("index construit", "durée", time.Since(start).Round(time.Millisecond))
	return nil
}

// OpenAccounts sets up partner accounts: the mail sender (SMTP, or the
// development mailbox), the CSRF secret and ProConnect when configured.
func (m *Main) OpenAccounts(ctx context.Context) error {
	cfg := m.Config
	var sender mail.Sender
	switch {
	case cfg.SMTPHost != "":
		smtp, err := mail.NewSMTP(mail.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, Username: cfg.SMTPUsername,
			Password: cfg.SMTPPassword, From: cfg.SMTPFrom})
		if err != nil {
			return err
		}
		sender = smtp
	case cfg.DevMailbox:
		m.Mailbox = mail.NewMailbox(cfg.DevMailboxSize, m.Logger)
		sender = m.Mailbox
		m.Logger.Warn("boîte de développement : aucun courriel ne part, tous sont lisibles sur /dev/courriels", "url", cfg.BaseURL+"/dev/courriels")
	default:
		sender = mail.Unconfigured{}
		m.Logger.Error("AUCUN COURRIEL NE PEUT ÊTRE ENVOYÉ : pas de serveur SMTP (REPERE_SMTP_HOST). Inscriptions, mots de passe oubliés et invitations n’aboutiront pas.")
	}
	secret := []byte(cfg.SecretKey)
	if len(secret) == 0 {
		var err error
		if secret, err = m.Store.SecretKey(ctx); err != nil {
			return err
		}
	}
	var pc *oidc.Client
	if cfg.ProConnect.Enabled() {
		var err error
		pc, err = oidc.New(oidc.Config{Issuer: cfg.ProConnect.Issuer, ClientID: cfg.ProConnect.ClientID,
			ClientSecret: cfg.ProConnect.ClientSecret, ACRValues: cfg.ProConnect.ACR,
			RedirectURL: cfg.BaseURL + "/connexion/proconnect/retour"})
		if err != nil {
			return err
		}
	}
	m.Mail, m.secret = sender, secret
	acc, err := account.New(account.Config{
		Store: m.Store, Mail: sender, BaseURL: cfg.BaseURL, Secret: secret, Log: m.Logger,
		Geo: m.Gazetteer, ProConnect: pc,
		Changed: func(ctx context.Context, structureID string) {
			if m.OpenData != nil {
				m.OpenData.Touch()
			}
			if err := m.Catalog.ReindexStructure(ctx, structureID); err != nil {
				m.Logger.Warn("réindexation de la structure impossible", "structure", structureID, "err", err)
			}
		},
	})
	if err != nil {
		return err
	}
	m.Accounts = acc
	return nil
}

// Run serves HTTP until ctx is cancelled, then shuts down gracefully.
func (m *Main) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("écoute sur %s : %w", m.Config.Addr, err)
	}
	m.Logger.Info("site démarré", "url", m.Config.BaseURL, "adresse", ln.Addr().String())
	// The heap grows to twice what it holds before a collection; near the
	// limit the runtime collects sooner instead, which keeps an instance
	// at 1,000,000 services within its memory while a pass runs. Serving
	// only: an index build holds more than the limit for minutes, and
	// would spend them collecting.
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && m.Config.MemoryLimit > 0 {
		debug.SetMemoryLimit(m.Config.MemoryLimit)
	}
	errc := make(chan error, 1)
	go func() { errc <- m.App.Listener(ln) }()
	if m.Config.DebugAddr != "" {
		go func() {
			if err := m.serveDebug(ctx); err != nil {
				m.Logger.Warn("profils Go non servis", "err", err)
			}
		}()
	}
	go m.Catalog.Follow(ctx, 500*time.Millisecond) // the writes of other instances sharing the store
	m.OpenData.RemoveStray()
	go m.background(ctx, m.passes(), backgroundTick)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() { m.Scheduler.Run(jobsCtx); close(jobsDone) }()
	defer func() { stopJobs(); <-jobsDone }()
	// Each instance adds its counts of searches without results every
	// minute, and once more when it stops.
	demandCtx, stopDemand := context.WithCancel(ctx)
	demandDone := make(chan struct{})
	go func() { m.Demand.Run(demandCtx, time.Minute); close(demandDone) }()
	defer func() { stopDemand(); <-demandDone }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	m.Logger.Info("arrêt en cours")
	if err := m.App.ShutdownWithTimeout(10 * time.Second); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// Close releases the index and the store (and stops the embedded one),
// after writing the counts of searches without results not written yet.
func (m *Main) Close() {
	if m.Imports != nil {
		m.Imports.Stop() // before the index and store they write to
		m.Imports = nil
	}
	if m.Demand != nil && m.Store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := m.Demand.Flush(ctx); err != nil {
			m.Logger.Error("recherches sans résultat : écriture", "erreur", err)
		}
		cancel()
	}
	if m.Index != nil {
		_ = m.Index.Close()
		m.Index = nil
	}
	if m.Store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = m.Store.Close(ctx)
		m.Store = nil
	}
}
