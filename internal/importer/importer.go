package importer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
	"github.com/repere-spie/repere/internal/store"
)

// Importer runs imports against the store, through the catalog.
type Importer struct {
	Store     *store.Store
	Catalog   *catalog.Catalog
	Gazetteer *geo.Gazetteer
	Geocoder  Geocoder // nil: offline, records without coordinates get their commune's centre
	Log       *slog.Logger
	Now       func() time.Time
}

// Options tune one run.
type Options struct {
	DryRun bool          // read, check and count, write nothing
	Grace  time.Duration // how long a record may be missing from its source before it is unpublished
	Actor  string        // who started it, for the history
	// ActorID is the account that started it (the partner space shows a
	// moderator the runs they started).
	ActorID string
	// Departements, when set, is the territory of the person importing: a
	// record placed elsewhere is rejected.
	Departements []string
	RunID        string // the id of the run's document (the partner space follows it); generated if empty
	// Progress is told how many records were read, of how many (0: unknown).
	Progress func(done, total int)
}

const (
	batchSize = 500
	// A run that has not beaten for this long died: the next one takes its
	// lock over and first heals the index.
	staleLock = 2 * time.Minute
)

// Run imports what r reads and returns its report. An error means the run
// could not start or could not read its source to the end; the report then
// says what was written before.
func (im *Importer) Run(ctx context.Context, r Reader, opt Options) (*Report, error) {
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	feed := r.Feed()
	if opt.RunID == "" {
		opt.RunID = directory.NewID()
	}
	rep := &Report{ID: opt.RunID, Feed: feed.Name, Label: feed.Label, What: r.Describe(), Actor: opt.Actor,
		ActorID: opt.ActorID, DryRun: opt.DryRun, State: StateRunning, StartedAt: now().UTC()}
	if !opt.DryRun {
		crashed, err := im.Store.LockImport(ctx, feed.Name, holder(opt.RunID), staleLock, processGone)
		if err != nil {
			return nil, err
		}
		defer func() { _ = im.Store.UnlockImport(context.WithoutCancel(ctx), feed.Name, opt.RunID) }()
		if crashed {
			// The previous run died between a store write and its index
			// write: bring the index in step before adding to it.
			fixed, err := im.Catalog.Reconcile(ctx)
			if err != nil {
				return nil, fmt.Errorf("vérification de l’index après un import interrompu : %w", err)
			}
			im.Log.Warn("import précédent interrompu : index vérifié", "flux", feed.Name, "corrigés", fixed)
		}
	}
	run := &run{im: im, opt: opt, feed: feed, rep: rep, now: now().UTC(), ctx: ctx,
		sources: map[string]bool{}, departements: map[string]bool{},
		structures: map[string]*structureInfo{}, byOrigin: map[string]*structureInfo{}, seen: map[string]struct{}{}, seenStructures: map[string]bool{}}
	run.save(ctx)
	err := run.start(ctx)
	if err == nil {
		if c, ok := r.(Counter); ok {
			if rep.Total, err = c.Count(ctx); err != nil {
				err = fmt.Errorf("lecture impossible : %w", err)
			}
		}
	}
	var scope Scope
	if err == nil {
		if !opt.DryRun {
			run.writer = im.Catalog.NewImport(run.refused)
		}
		scope, err = r.Read(ctx, run.emit)
	}
	if err == nil {
		err = run.flush(ctx)
	}
	if err == nil {
		err = run.gone(ctx, scope)
	}
	if run.writer != nil {
		// The run ends when what it stored is searchable.
		if cerr := run.writer.Close(); err == nil {
			err = cerr
		}
	}
	fin := now().UTC()
	rep.FinishedAt = &fin
	switch {
	case err == nil:
		rep.State = StateDone
	case errors.Is(err, context.Canceled):
		rep.State, rep.Error = StateStopped, "Import interrompu."
	default:
		rep.State, rep.Error = StateFailed, err.Error()
	}
	run.save(context.WithoutCancel(ctx))
	return rep, err
}

// outside is why a record placed in commune code may not be imported by
// this run ("" when it may): the person's territory does not hold it.
func (r *run) outside(code, what string) string {
	if len(r.opt.Departements) == 0 {
		return ""
	}
	dep := directory.DepartementOfCommune(code)
	switch {
	case dep == "":
		return what + " n’est situé dans aucune commune de votre territoire (départements " + strings.Join(r.opt.Departements, ", ") + ")."
	case !slices.Contains(r.opt.Departements, dep):
		return fmt.Sprintf("%s est hors de votre territoire (département %s) : seul un gestionnaire de ce département peut l’importer.", what, dep)
	}
	return ""
}

// holder identifies this run's process, so that the next run on the same
// host knows at once when it was killed.
func holder(run string) store.ImportHolder {
	host, _ := os.Hostname()
	return store.ImportHolder{Run: run, Host: host, PID: os.Getpid()}
}

// processGone reports whether the holder's process no longer runs (only
// knowable on this host; elsewhere the heartbeat decides).
func processGone(h store.ImportHolder) bool {
	host, _ := os.Hostname()
	if h.Host != host || h.PID <= 0 || h.PID == os.Getpid() {
		return false
	}
	return syscall.Kill(h.PID, 0) == syscall.ESRCH
}

// run is the state of one import.
type run struct {
	im   *Importer
	opt  Options
	feed Feed
	rep  *Report
	now  time.Time

	ctx     context.Context // the reader's callbacks run under it
	ledger  *ledger
	refused map[string]bool
	writer  *catalog.Import // nil in a dry run
	// sources and départements of the services read, for Scope.FromRecords.
	sources, departements map[string]bool
	// structures read in this run, by Repère id.
	structures     map[string]*structureInfo
	byOrigin       map[string]*structureInfo // by the producer's id: services name it without its source
	seenStructures map[string]bool
	// seen holds the Repère id of every service read.
	seen          map[string]struct{}
	pending       []*Item                // services waiting for their batch
	newStructures []*directory.Structure // structures waiting for theirs
	lastBeat      time.Time
}

type structureInfo struct {
	st        *directory.Structure
	canonical string // the id services attach to: its own, or the structure it duplicates
	key       string
}

func (r *run) start(ctx context.Context) error {
	var err error
	if r.ledger, err = loadLedger(ctx, r.im.Store, r.feed.Name); err != nil {
		return err
	}
	r.refused, err = r.im.Catalog.RefusedStructures(ctx)
	return err
}

// emit takes one record from the reader.
func (r *run) emit(it *Item) error {
	if !it.Derived {
		r.rep.Read++
	}
	if err := r.beat(r.ctx); err != nil {
		return err
	}
	if r.opt.Progress != nil && r.rep.Read%100 == 0 {
		r.opt.Progress(r.rep.Read, r.rep.Total)
	}
	if it.Err != nil {
		r.rep.reject(it.Ref, directory.ErrorMessage(asFrench(it.Err)))
		return nil
	}
	if it.Structure != nil {
		return r.structure(r.ctx, it)
	}
	if it.Service == nil {
		for _, w := range it.Warnings {
			r.rep.warn(it.Ref, w)
		}
		return nil
	}
	r.pending = append(r.pending, it)
	if len(r.pending) >= batchSize {
		return r.flush(r.ctx)
	}
	return nil
}

// asFrench keeps the readers' French messages, which are plain errors.
func asFrench(err error) error {
	var e *directory.Error
	if errors.As(err, &e) {
		return e
	}
	return &directory.Error{Code: directory.EINVALID, Message: err.Error()}
}

// save records the run for the history and the progress bar (a dry run too:
// the partner space shows its report before the confirmation).
func (r *run) save(ctx context.Context) {
	if err := r.im.Store.PutImportRun(ctx, r.rep.ID, r.rep); err != nil {
		r.im.Log.Warn("enregistrement de l’import impossible", "err", err)
	}
}

// beat keeps the lock and the progress bar fresh.
func (r *run) beat(ctx context.Context) error {
	if time.Since(r.lastBeat) < 2*time.Second {
		return nil
	}
	r.lastBeat = time.Now()
	r.save(ctx)
	if r.opt.DryRun {
		return nil
	}
	return r.im.Store.BeatImport(ctx, r.feed.Name, holder(r.opt.RunID))
}

// clean validates a record, dropping the optional fields that fail (with a
// warning), and returns the message of what remains wrong.
func clean[T any](r *T, validate func(*T) error, droppable map[string]func(*T), warn func(string)) string {
	for range 3 {
		err := validate(r)
		if err == nil {
			return ""
		}
		fields := err.(*directory.Error).Fields
		var fatal []string
		for _, f := range slices.Sorted(mapKeys(fields)) {
			if drop, ok := droppable[f]; ok {
				drop(r)
				warn(fmt.Sprintf("%s ignoré : %s", fieldLabel(f), fields[f]))
			} else {
				fatal = append(fatal, fields[f])
			}
		}
		if len(fatal) > 0 {
			return strings.Join(fatal, " ")
		}
	}
	return "enregistrement invalide"
}

func cleanService(s *directory.Service, warn func(string)) string {
	s.SourceLink, s.MobilisationLink = fixURL(s.SourceLink), fixURL(s.MobilisationLink)
	s.Name, s.Description = shorten(s.Name, s.Description, warn)
	return clean(s, (*directory.Service).Validate, droppableService, warn)
}

func cleanStructure(st *directory.Structure, warn func(string)) string {
	st.SourceLink, st.Website, st.AccessibilityLink = fixURL(st.SourceLink), fixURL(st.Website), fixURL(st.AccessibilityLink)
	st.Name, st.Description = shorten(st.Name, st.Description, warn)
	return clean(st, (*directory.Structure).Validate, droppableStructure, warn)
}

// shorten cuts a name too long for the schema, and drops a description too
// short to say anything.
func shorten(name, description string, warn func(string)) (string, string) {
	if utf8.RuneCountInString(name) > directory.NameMaxLen {
		name = truncate(name, directory.NameMaxLen)
		warn("Nom raccourci à 150 caractères")
	}
	if n := utf8.RuneCountInString(description); n > 0 && n < directory.DescriptionMinLen {
		description = ""
	}
	return name, description
}

// fixURL encodes the spaces some producers leave in their links
// ("https://monenfant.fr/que-recherchez-vous/LES PETITS PAS/EAJE/…"), and
// adds the scheme to "www.exemple.fr".
func fixURL(u string) string {
	u = strings.TrimSpace(u)
	if strings.HasPrefix(u, "www.") {
		u = "https://" + u
	}
	if strings.HasPrefix(u, "http") {
		u = strings.ReplaceAll(u, " ", "%20")
	}
	return u
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func truncate(s string, n int) string {
	r := []rune(s)
	cut := string(r[:n-1])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut) + "…"
}

// droppableService clears an optional field that fails validation: the
// rest of the record is worth importing.
var droppableService = map[string]func(*directory.Service){
	"lien_source":       func(s *directory.Service) { s.SourceLink = "" },
	"telephone":         func(s *directory.Service) { s.Phone = "" },
	"courriel":          func(s *directory.Service) { s.Email = "" },
	"lien_mobilisation": func(s *directory.Service) { s.MobilisationLink = "" },
	"horaires_accueil":  func(s *directory.Service) { s.OpeningHours = "" },
	"code_postal":       func(s *directory.Service) { s.PostalCode = "" },
	"code_insee":        func(s *directory.Service) { s.CodeInsee = "" },
	"longitude":         func(s *directory.Service) { s.Longitude, s.Latitude = nil, nil },
	"latitude":          func(s *directory.Service) { s.Longitude, s.Latitude = nil, nil },
	"nombre_semaines":   func(s *directory.Service) { s.WeeksCount = nil },
	"description":       func(s *directory.Service) { s.Description = truncate(s.Description, directory.DescriptionMaxLen) },
	"publics": func(s *directory.Service) {
		if slices.Contains(s.Publics, "tous-publics") {
			s.Publics = []string{"tous-publics"}
		}
	},
	"volume_horaire_hebdomadaire": func(s *directory.Service) { s.WeeklyHours = nil },
}

var droppableStructure = map[string]func(*directory.Structure){
	"siret":              func(s *directory.Structure) { s.SIRET = "" },
	"telephone":          func(s *directory.Structure) { s.Phone = "" },
	"courriel":           func(s *directory.Structure) { s.Email = "" },
	"site_web":           func(s *directory.Structure) { s.Website = "" },
	"lien_source":        func(s *directory.Structure) { s.SourceLink = "" },
	"accessibilite_lieu": func(s *directory.Structure) { s.AccessibilityLink = "" },
	"horaires_accueil":   func(s *directory.Structure) { s.OpeningHours = "" },
	"code_postal":        func(s *directory.Structure) { s.PostalCode = "" },
	"code_insee":         func(s *directory.Structure) { s.CodeInsee = "" },
	"longitude":          func(s *directory.Structure) { s.Longitude, s.Latitude = nil, nil },
	"latitude":           func(s *directory.Structure) { s.Longitude, s.Latitude = nil, nil },
	"description":        func(s *directory.Structure) { s.Description = truncate(s.Description, directory.DescriptionMaxLen) },
}

var fieldLabels = map[string]string{
	"lien_source": "Lien source", "telephone": "Téléphone", "courriel": "Courriel", "lien_mobilisation": "Lien de mobilisation",
	"horaires_accueil": "Horaires", "code_postal": "Code postal", "code_insee": "Code INSEE", "longitude": "Coordonnées",
	"latitude": "Coordonnées", "nombre_semaines": "Nombre de semaines", "description": "Description", "publics": "Publics",
	"volume_horaire_hebdomadaire": "Volume horaire", "siret": "SIRET", "site_web": "Site web", "accessibilite_lieu": "Lien accessibilité",
}

func fieldLabel(f string) string {
	if l, ok := fieldLabels[f]; ok {
		return l
	}
	return f
}

// structure handles a structure record at once: services read later name it.
func (r *run) structure(ctx context.Context, it *Item) error {
	st := it.Structure
	for _, w := range it.Warnings {
		r.rep.warn(it.Ref, w)
	}
	warn := func(w string) { r.rep.warn(it.Ref, w) }
	if strings.TrimSpace(st.Name) == "" {
		r.rep.reject(it.Ref, "Structure sans nom.")
		return nil
	}
	ext := st.Provenance.ExternalID
	if ext == "" {
		ext = contentID(st.Source, st.Name, st.PostalCode, st.CommuneName)
		st.Provenance.ExternalID = ext
	}
	st.ID = stableID("structure", r.feed.Name, st.Source, ext)
	if r.seenStructures[st.ID] {
		return nil // the same structure again (readers that derive structures from services)
	}
	r.seenStructures[st.ID] = true
	if r.im.Geocoder != nil && !structurePlace(st).hasPoint() && st.Address != "" {
		q := &GeoQuery{Address: st.Address, PostalCode: st.PostalCode, CodeInsee: st.CodeInsee, CommuneName: st.CommuneName}
		if err := r.im.Geocoder.Geocode(ctx, []*GeoQuery{q}); err != nil {
			warn("Géocodage impossible : " + err.Error())
		} else if q.Found {
			st.Longitude, st.Latitude, st.Provenance.Position = &q.Lon, &q.Lat, q.Precision
		}
	}
	hadPlace := st.CodeInsee != "" || st.PostalCode != "" || st.CommuneName != "" || structurePlace(st).hasPoint()
	if hadPlace && !locate(r.im.Gazetteer, structurePlace(st)) {
		warn(fmt.Sprintf("Commune introuvable (%s %s %s)", st.CodeInsee, st.PostalCode, st.CommuneName))
		st.CodeInsee = ""
	}
	if msg := cleanStructure(st, warn); msg != "" {
		r.rep.reject(it.Ref, msg)
		return nil
	}
	if msg := r.outside(st.CodeInsee, "La structure"); msg != "" && st.CodeInsee != "" {
		r.rep.reject(it.Ref, msg)
		return nil
	}
	r.stamp(&st.Provenance, st.Source, &st.UpdatedAt)
	info := &structureInfo{st: st, canonical: st.ID, key: structureKey(st)}
	if owner := r.ledger.structureKeys[info.key]; info.key != "" && owner != "" && owner != st.ID {
		info.canonical, st.Provenance.DuplicateOf = owner, owner
		r.rep.StructureDuplicates++
	} else if info.key != "" {
		r.ledger.structureKeys[info.key] = st.ID
	}
	r.structures[st.ID] = info
	r.byOrigin[ext] = info
	vals := values(structureFields, st)
	st.Provenance.Hash = digest(vals, st.Provenance.DuplicateOf)
	st.Provenance.Fields = fieldHashes(vals)
	prev := r.ledger.structures[st.ID]
	switch {
	case prev == nil:
		r.rep.StructuresNew++
		if r.opt.DryRun {
			return nil
		}
		st.CreatedAt = r.now
		r.newStructures = append(r.newStructures, st)
		if len(r.newStructures) >= batchSize {
			return r.flushStructures(ctx)
		}
	case prev.hash == st.Provenance.Hash:
		r.rep.StructuresUnchanged++
	default:
		r.rep.StructuresUpdated++
		if r.opt.DryRun {
			return nil
		}
		return r.updateStructure(ctx, st)
	}
	return nil
}

// flushStructures inserts the new structures read so far, before the
// services that name them.
func (r *run) flushStructures(ctx context.Context) error {
	sts := r.newStructures
	r.newStructures = nil
	if len(sts) == 0 {
		return nil
	}
	if err := r.im.Store.InsertStructures(ctx, sts); err != nil {
		return err
	}
	for _, st := range sts {
		// Services need only what the index copies: keep no more.
		r.structures[st.ID].st = reduced(st)
	}
	// Partners who sign up with this SIRET are told the structure exists; a
	// SIRET another structure holds stays theirs.
	var claims []store.SIRETClaim
	for _, st := range sts {
		if st.SIRET != "" && st.Provenance.DuplicateOf == "" {
			claims = append(claims, store.SIRETClaim{SIRET: st.SIRET, StructureID: st.ID})
		}
	}
	_, err := r.im.Store.ClaimSIRETs(ctx, claims)
	return err
}

// reduced is what the index copies from a structure into its services.
func reduced(st *directory.Structure) *directory.Structure {
	return &directory.Structure{ID: st.ID, Name: st.Name, CodeInsee: st.CodeInsee, CommuneName: st.CommuneName,
		Longitude: st.Longitude, Latitude: st.Latitude}
}

// updateStructure writes a new version of a structure, keeping the fields
// someone edited on Repère since the last import.
func (r *run) updateStructure(ctx context.Context, in *directory.Structure) error {
	cur, err := r.im.Store.Structure(ctx, in.ID)
	if err != nil {
		return err
	}
	out, proposed := merge(structureFields, cur, in, cur.Provenance.Fields, r.now)
	out.Provenance = in.Provenance
	out.Provenance.Proposed = proposed
	out.UpdatedAt, out.Source = in.UpdatedAt, in.Source
	if err := r.im.Store.UpdateStructure(ctx, &out); err != nil {
		return err
	}
	if cur.Name != out.Name || cur.CodeInsee != out.CodeInsee || coord(cur.Longitude) != coord(out.Longitude) {
		// Its services carry its name and place in the index: after the
		// batches under way, which may hold some of them.
		if err := r.writer.Sync(); err != nil {
			return err
		}
		return r.im.Catalog.ReindexStructure(ctx, out.ID)
	}
	return nil
}

// stamp sets what every imported record says of its provenance.
func (r *run) stamp(p *directory.Provenance, source string, updated *time.Time) {
	p.Kind, p.Origin, p.Feed, p.Licence = "import", source, r.feed.Name, r.feed.Licence
	now := r.now
	p.ImportedAt = &now
	if !updated.IsZero() {
		t := updated.UTC()
		p.SourceDate = &t
		*updated = t
	} else {
		*updated = r.now
	}
}
