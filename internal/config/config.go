// Package config reads Repère's settings from REPERE_* environment variables,
// overridden by command-line flags of the same name.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// Config holds every setting. It is passed explicitly; there is no global.
type Config struct {
	Addr          string
	BaseURL       string
	DataDir       string
	MongoURI      string
	MongoDatabase string
	EmbeddedAddr  string
	DebugAddr     string // where the Go profiles (net/http/pprof) are served; empty: nowhere
	MemoryLimit   int64  // soft limit of the Go heap of a serving instance, in bytes (0: none); GOMEMLIMIT, when set, wins
	GeoSource     string
	IndexDir      string
	Demo          bool
	DemoSeed      int64
	DemoServices  int
	LogLevel      string
	ReadTimeout   time.Duration
	WriteTimeout  time.Duration
	BodyLimit     int

	SecretKey        string
	SMTPHost         string
	SMTPPort         int
	SMTPUsername     string
	SMTPPassword     string
	SMTPFrom         string
	TrustedProxies   []netip.Prefix // reverse proxies whose X-Forwarded-For / Forwarded are believed
	DevMailbox       bool           // the development mailbox (/dev/courriels) instead of SMTP
	DevMailboxSize   int
	ProConnect       ProConnect
	TilesURL         string
	TilesAttribution string
	ContactEmail     string

	GeocoderURL string        // the national address base API (BAN); empty: offline, commune centres
	ImportGrace time.Duration // how long an imported record may be missing from its source before it is unpublished
	Sync        Sync

	devMailboxForced bool

	// APIRate is how many requests a second one client may make to the
	// API and the open-data files, on average (0: no limit); APIBurst how
	// many at once.
	APIRate  float64
	APIBurst int
}

// Sync configures the daily data·inclusion synchronisation; it runs when
// the API URL is set.
type Sync struct {
	URL, Token, Departement, Source string
	Hour, Minute                    int
}

// ProConnect configures the State's OpenID Connect for professionals; it is
// enabled when the issuer, client id and secret are all set.
type ProConnect struct {
	Issuer, ClientID, ClientSecret, ACR string
}

// Enabled reports whether ProConnect is configured.
func (p ProConnect) Enabled() bool {
	return p.Issuer != "" && p.ClientID != "" && p.ClientSecret != ""
}

// setting describes one configuration entry; the list below is the single
// source for parsing, flags and --help.
type setting struct {
	name string // flag name; the variable is REPERE_ + upper snake case
	def  string
	help string
	set  func(c *Config, v string) error
}

// parseSize reads a size in MiB or GiB, or 0.
func parseSize(v string) (int64, error) {
	if v == "0" {
		return 0, nil
	}
	for unit, mult := range map[string]int64{"MiB": 1 << 20, "GiB": 1 << 30} {
		if n, err := strconv.ParseInt(strings.TrimSuffix(v, unit), 10, 64); strings.HasSuffix(v, unit) && err == nil && n > 0 {
			return n * mult, nil
		}
	}
	return 0, errors.New("must be a whole number of MiB or GiB, e.g. 1536MiB, or 0")
}

// loopback checks that addr is host:port on the loopback interface.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return errors.New("must be host:port")
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return errors.New("must be a loopback address")
	}
	return nil
}

// Env is the environment variable of the setting.
func (s setting) Env() string {
	return "REPERE_" + strings.ToUpper(strings.ReplaceAll(s.name, "-", "_"))
}

var settings = []setting{
	{"addr", ":8080", "adresse d’écoute HTTP", func(c *Config, v string) error { c.Addr = v; return nil }},
	{"base-url", "http://localhost:8080", "URL publique du site (liens absolus, flux, sitemap)", func(c *Config, v string) error {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("must be an absolute http(s) URL")
		}
		c.BaseURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"data-dir", "./data", "dossier des données locales (base embarquée, index)", func(c *Config, v string) error { c.DataDir = v; return nil }},
	{"mongodb-uri", "", "URI MongoDB ; vide : base embarquée FerretDB/SQLite dans data-dir", func(c *Config, v string) error { c.MongoURI = v; return nil }},
	{"embedded-addr", "127.0.0.1:0", "adresse d’écoute de la base embarquée (boucle locale ; port 0 : au hasard)", func(c *Config, v string) error {
		if err := loopback(v); err != nil {
			return fmt.Errorf("%w: the embedded store has no authentication", err)
		}
		c.EmbeddedAddr = v
		return nil
	}},
	{"debug-addr", "", "adresse d’écoute des profils Go (/debug/pprof/, boucle locale) ; vide : aucune", func(c *Config, v string) error {
		if v != "" {
			if err := loopback(v); err != nil {
				return fmt.Errorf("%w: the profiles show the process's memory", err)
			}
		}
		c.DebugAddr = v
		return nil
	}},
	{"mongodb-database", "repere", "nom de la base MongoDB", func(c *Config, v string) error { c.MongoDatabase = v; return nil }},
	{"geo-source", "https://geo.api.gouv.fr", "source de la géographie : URL de l’API geo.api.gouv.fr ou dossier aux mêmes formats", func(c *Config, v string) error { c.GeoSource = v; return nil }},
	{"index-dir", "", "dossier de l’index de recherche (défaut : data-dir/index)", func(c *Config, v string) error { c.IndexDir = v; return nil }},
	{"demo", "false", "au premier démarrage, générer les données de démonstration si la base est vide", func(c *Config, v string) (err error) {
		c.Demo, err = strconv.ParseBool(v)
		return err
	}},
	{"demo-seed", "1", "graine des données de démonstration", func(c *Config, v string) (err error) {
		c.DemoSeed, err = strconv.ParseInt(v, 10, 64)
		return err
	}},
	{"demo-services", "3000", "nombre de services de démonstration", func(c *Config, v string) (err error) {
		c.DemoServices, err = strconv.Atoi(v)
		if err == nil && (c.DemoServices < 1 || c.DemoServices > 1_000_000) {
			err = errors.New("must be between 1 and 1000000")
		}
		return err
	}},
	{"memory-limit", "1GiB", "limite souple du tas Go d’une instance en service (ex. 512MiB, 2GiB ; 0 : aucune) ; GOMEMLIMIT l’emporte", func(c *Config, v string) error {
		n, err := parseSize(v)
		c.MemoryLimit = n
		return err
	}},
	{"log-level", "info", "niveau de journalisation : debug, info, warn, error", func(c *Config, v string) error {
		switch v {
		case "debug", "info", "warn", "error":
			c.LogLevel = v
			return nil
		}
		return errors.New("must be debug, info, warn or error")
	}},
	{"read-timeout", "10s", "délai maximal de lecture d’une requête", durationSetter(func(c *Config) *time.Duration { return &c.ReadTimeout })},
	{"write-timeout", "30s", "délai maximal d’écriture d’une réponse", durationSetter(func(c *Config) *time.Duration { return &c.WriteTimeout })},
	{"body-limit", "1048576", "taille maximale d’un corps de requête, en octets", func(c *Config, v string) (err error) {
		c.BodyLimit, err = strconv.Atoi(v)
		if err == nil && c.BodyLimit < 1024 {
			err = errors.New("must be at least 1024")
		}
		return err
	}},
	{"trusted-proxies", "", "adresses ou réseaux (CIDR) des mandataires inverses, séparés par des virgules, dont les en-têtes X-Forwarded-For et Forwarded donnent l’adresse des visiteurs ; vide : ces en-têtes sont ignorés", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			p, err := netip.ParsePrefix(s)
			if err != nil {
				a, aerr := netip.ParseAddr(s)
				if aerr != nil {
					return fmt.Errorf("%q is neither an address nor a CIDR network", s)
				}
				p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
			}
			c.TrustedProxies = append(c.TrustedProxies, p.Masked())
		}
		return nil
	}},
	{"secret-key", "", "clé secrète (32 octets au moins) signant les jetons CSRF ; vide : générée une fois et gardée dans la base", func(c *Config, v string) error {
		if v != "" && len(v) < 32 {
			return errors.New("must be at least 32 bytes")
		}
		c.SecretKey = v
		return nil
	}},
	{"smtp-host", "", "serveur SMTP ; vide : aucun courriel n’est envoyé (voir dev-mailbox)", func(c *Config, v string) error { c.SMTPHost = v; return nil }},
	{"smtp-port", "587", "port SMTP (465 : TLS implicite)", func(c *Config, v string) (err error) {
		c.SMTPPort, err = strconv.Atoi(v)
		if err == nil && (c.SMTPPort < 1 || c.SMTPPort > 65535) {
			err = errors.New("must be a TCP port")
		}
		return err
	}},
	{"smtp-username", "", "identifiant SMTP", func(c *Config, v string) error { c.SMTPUsername = v; return nil }},
	{"smtp-password", "", "mot de passe SMTP", func(c *Config, v string) error { c.SMTPPassword = v; return nil }},
	{"smtp-from", "Repère <ne-pas-repondre@repere.example.org>", "expéditeur des courriels", func(c *Config, v string) error { c.SMTPFrom = v; return nil }},
	{"dev-mailbox", "false", "sans serveur SMTP, montrer les courriels sur /dev/courriels (développement seulement : n’importe qui y lit les liens de connexion) ; true est refusé avec une base-url publique, force l’impose", func(c *Config, v string) error {
		switch v {
		case "true", "force":
			c.DevMailbox, c.devMailboxForced = true, v == "force"
		case "false":
			c.DevMailbox = false
		default:
			return errors.New("must be false, true or force")
		}
		return nil
	}},
	{"dev-mailbox-size", "50", "courriels gardés en mémoire sans serveur SMTP", func(c *Config, v string) (err error) {
		c.DevMailboxSize, err = strconv.Atoi(v)
		if err == nil && c.DevMailboxSize < 1 {
			err = errors.New("must be positive")
		}
		return err
	}},
	{"api-rate", "10", "requêtes par seconde permises à un client de l’API et des données ouvertes, en moyenne (0 : sans limite)", func(c *Config, v string) (err error) {
		c.APIRate, err = strconv.ParseFloat(v, 64)
		if err == nil && (c.APIRate < 0 || c.APIRate != c.APIRate) {
			err = errors.New("must be a positive number or 0")
		}
		return err
	}},
	{"api-burst", "60", "requêtes qu’un client de l’API peut faire d’affilée avant d’être limité à api-rate", func(c *Config, v string) (err error) {
		c.APIBurst, err = strconv.Atoi(v)
		if err == nil && c.APIBurst < 1 {
			err = errors.New("must be positive")
		}
		return err
	}},
	{"proconnect-issuer", "", "émetteur OpenID Connect de ProConnect (vide : désactivé)", func(c *Config, v string) error { c.ProConnect.Issuer = v; return nil }},
	{"proconnect-client-id", "", "identifiant client ProConnect", func(c *Config, v string) error { c.ProConnect.ClientID = v; return nil }},
	{"proconnect-client-secret", "", "secret client ProConnect", func(c *Config, v string) error { c.ProConnect.ClientSecret = v; return nil }},
	{"proconnect-acr", "", "niveau d’authentification demandé à ProConnect (facultatif, ex. eidas1)", func(c *Config, v string) error { c.ProConnect.ACR = v; return nil }},
	{"contact-email", "signalement@repere.example.org", "adresse qui reçoit les signalements d’erreur, affichée dans les mentions légales", func(c *Config, v string) error {
		if err := directory.CheckEmail(v); err != nil {
			return errors.New("must be an e-mail address")
		}
		c.ContactEmail = v
		return nil
	}},
	{"geocoder-url", "", "API Adresse (BAN) pour géocoder les adresses importées, ex. https://api-adresse.data.gouv.fr ; vide : centre de la commune", func(c *Config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("must be an absolute http(s) URL")
			}
		}
		c.GeocoderURL = strings.TrimRight(v, "/")
		return nil
	}},
	{"import-grace", "168h", "délai avant de dépublier un service importé que sa source ne contient plus", func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return errors.New("must be a duration such as 168h")
		}
		c.ImportGrace = d
		return nil
	}},
	{"sync-url", "", "API data·inclusion à synchroniser chaque jour (ex. https://api.data.inclusion.gouv.fr) ; vide : pas de synchronisation", func(c *Config, v string) error {
		if v != "" {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("must be an absolute http(s) URL")
			}
		}
		c.Sync.URL = strings.TrimRight(v, "/")
		return nil
	}},
	{"sync-token", "", "jeton d’accès à l’API data·inclusion", func(c *Config, v string) error { c.Sync.Token = v; return nil }},
	{"sync-departement", "", "département synchronisé (vide : tous)", func(c *Config, v string) error { c.Sync.Departement = v; return nil }},
	{"sync-source", "", "source synchronisée, ex. dora (vide : toutes)", func(c *Config, v string) error { c.Sync.Source = v; return nil }},
	{"sync-time", "03:00", "heure de la synchronisation quotidienne (heure de Paris)", func(c *Config, v string) error {
		t, err := time.Parse("15:04", v)
		if err != nil {
			return errors.New("must be HH:MM")
		}
		c.Sync.Hour, c.Sync.Minute = t.Hour(), t.Minute()
		return nil
	}},
	{"tiles-url", "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}", "modèle d’URL des tuiles de fond de carte (Plan IGN de la Géoplateforme par défaut)", func(c *Config, v string) error { c.TilesURL = v; return nil }},
	{"tiles-attribution", "Fond de carte : IGN – Plan IGN", "attribution affichée sur les cartes", func(c *Config, v string) error { c.TilesAttribution = v; return nil }},
}

func durationSetter(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return errors.New("must be a positive duration such as 10s")
		}
		*field(c) = d
		return nil
	}
}

// Flags registers every setting on fs. Call Apply after fs.Parse.
func Flags(fs *flag.FlagSet) map[string]*string {
	vals := map[string]*string{}
	for _, s := range settings {
		vals[s.name] = fs.String(s.name, "", s.help+" ("+s.Env()+")")
	}
	return vals
}

// Load builds a Config from the defaults, then the environment (getenv), then
// the flag values that were given (non-empty), and validates it.
func Load(getenv func(string) string, flagValues map[string]*string) (*Config, error) {
	c := &Config{}
	var errs []error
	for _, s := range settings {
		v, from := s.def, "default"
		if e := getenv(s.Env()); e != "" {
			v, from = e, s.Env()
		}
		if f := flagValues[s.name]; f != nil && *f != "" {
			v, from = *f, "-"+s.name
		}
		if err := s.set(c, v); err != nil {
			errs = append(errs, fmt.Errorf("%s=%q (%s): %w", s.Env(), v, from, err))
		}
	}
	if c.IndexDir == "" {
		c.IndexDir = filepath.Join(c.DataDir, "index")
	}
	if c.DevMailbox && !c.devMailboxForced && c.BaseURL != "" && !localURL(c.BaseURL) {
		errs = append(errs, fmt.Errorf("REPERE_DEV_MAILBOX=true with REPERE_BASE_URL=%s: the development mailbox shows password-reset links to anyone; use it on a local address, or set it to force", c.BaseURL))
	}
	return c, errors.Join(errs...)
}

// localURL reports whether u's host is this machine: localhost, a loopback
// address, or a .localhost name.
func localURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(p.Hostname(), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// PrintSettings writes every setting with its flag, meaning and default.
func PrintSettings(w io.Writer) {
	for _, s := range settings {
		def := s.def
		if def == "" {
			def = "(vide)"
		}
		fmt.Fprintf(w, "  %s (-%s)\n      %s. Défaut : %s\n", s.Env(), s.name, s.help, def)
	}
}
