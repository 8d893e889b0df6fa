package importer

import (
	"context"
	"fmt"
	"time"

	"github.com/repere-spie/repere/internal/catalog"
	"github.com/repere-spie/repere/internal/directory"
)

// flush processes the services waiting for their batch: geocoding in one
// request, then each checked and compared with what the store holds, then
// written in one catalog batch.
func (r *run) flush(ctx context.Context) error {
	if err := r.flushStructures(ctx); err != nil {
		return err
	}
	items := r.pending
	r.pending = nil
	if len(items) == 0 {
		return nil
	}
	if err := r.beat(ctx); err != nil {
		return err
	}
	r.geocode(ctx, items)
	var writes []catalog.Imported
	var changed []*directory.Service
	for _, it := range items {
		s, status := r.service(it)
		switch status {
		case statusNew:
			writes = append(writes, catalog.Imported{Service: s})
		case statusChanged:
			changed = append(changed, s)
		}
	}
	for _, s := range changed {
		cur, err := r.im.Store.Service(ctx, s.ID)
		if err != nil {
			return err
		}
		writes = append(writes, catalog.Imported{Service: r.merge(cur, s), Prev: cur})
	}
	return r.write(ctx, writes)
}

func (r *run) write(ctx context.Context, writes []catalog.Imported) error {
	if r.opt.DryRun || len(writes) == 0 {
		return nil
	}
	conflicts, err := r.writer.Write(ctx, writes, r.structureOf)
	for _, s := range conflicts {
		r.rep.warn(s.ID, "Modifié sur Repère pendant l’import : repris au prochain import.")
	}
	return err
}

func (r *run) structureOf(id string) *directory.Structure {
	if info := r.structures[id]; info != nil {
		return info.st
	}
	if st := r.ledger.structureByID(id); st != nil {
		return st
	}
	return nil
}

type outcome int

const (
	statusRejected outcome = iota
	statusUnchanged
	statusNew
	statusChanged
)

// geocode asks the geocoder, in one batch, for the addresses of services
// that have no coordinates.
func (r *run) geocode(ctx context.Context, items []*Item) {
	if r.im.Geocoder == nil {
		return
	}
	var qs []*GeoQuery
	var targets []*directory.Service
	for _, it := range items {
		s := it.Service
		if s.Address == "" || servicePlace(s).hasPoint() {
			continue
		}
		qs = append(qs, &GeoQuery{Address: s.Address, PostalCode: s.PostalCode, CodeInsee: s.CodeInsee, CommuneName: s.CommuneName})
		targets = append(targets, s)
	}
	if len(qs) == 0 {
		return
	}
	if err := r.im.Geocoder.Geocode(ctx, qs); err != nil {
		r.rep.warn("géocodage", "Géocodage par la Base adresse nationale impossible, centre des communes utilisé : "+err.Error())
		return
	}
	for i, q := range qs {
		if q.Found {
			lon, lat := q.Lon, q.Lat
			targets[i].Longitude, targets[i].Latitude, targets[i].Provenance.Position = &lon, &lat, q.Precision
		}
	}
}

// service checks one service and decides what to do with it.
func (r *run) service(it *Item) (*directory.Service, outcome) {
	s := it.Service
	for _, w := range it.Warnings {
		r.rep.warn(it.Ref, w)
	}
	warn := func(w string) { r.rep.warn(it.Ref, w) }
	reject := func(msg string) (*directory.Service, outcome) {
		r.rep.reject(it.Ref, msg)
		return nil, statusRejected
	}
	if s.Name == "" {
		return reject("Service sans nom.")
	}
	originStructure := s.StructureID
	structureID := stableID("structure", r.feed.Name, s.Source, originStructure)
	switch {
	case it.StructureID != "":
		structureID, originStructure = it.StructureID, it.StructureID
	case originStructure == "":
		structureID = ""
	}
	ext := s.Provenance.ExternalID
	if ext == "" {
		ext = contentID(s.Source, s.Name, originStructure, s.PostalCode, s.CommuneName, s.Address, s.SourceLink)
		s.Provenance.ExternalID = ext
	}
	s.ID = stableID("service", r.feed.Name, s.Source, ext)
	if _, dup := r.seen[s.ID]; dup {
		r.rep.InSourceDuplicates++
		return reject("Doublon dans la source : même identifiant qu’un service déjà lu.")
	}
	r.seen[s.ID] = struct{}{}
	info := r.structures[structureID]
	if info == nil && originStructure != "" {
		info = r.byOrigin[originStructure] // a structure record without its source
	}
	var st *directory.Structure
	key := ""
	if info != nil {
		st, key = info.st, info.key
		s.StructureID = info.canonical
	} else {
		s.StructureID = structureID
		if known := r.ledger.structureByID(structureID); known != nil {
			st, key = known, r.ledger.structureKeyOf[structureID]
		} else if structureID != "" {
			warn("Structure absente de la source : le service est importé sans elle.")
		}
	}
	p := servicePlace(s)
	if s.CodeInsee != "" || s.PostalCode != "" || s.CommuneName != "" || p.hasPoint() {
		if !locate(r.im.Gazetteer, p) {
			warn(fmt.Sprintf("Commune introuvable (%s %s %s)", s.CodeInsee, s.PostalCode, s.CommuneName))
			s.CodeInsee = ""
		}
	}
	placed := s.CodeInsee != "" || st != nil && st.CodeInsee != ""
	if len(s.ReceptionModes) == 0 && placed {
		// Without a mode, a service is found nowhere; one with a place
		// receives people there.
		s.ReceptionModes = []string{"en-presentiel"}
	}
	if !placed && len(s.EligibilityZone) == 0 && !s.Remote() {
		return reject("Impossible de situer le service : ni commune, ni coordonnées, ni zone d’éligibilité.")
	}
	if msg := cleanService(s, warn); msg != "" {
		return reject(msg)
	}
	code := s.CodeInsee
	if code == "" && st != nil {
		code = st.CodeInsee
	}
	if msg := r.outside(code, "Le service"); msg != "" {
		return reject(msg)
	}
	s.Status = directory.StatusPublished
	r.sources[s.Source], r.departements[directory.DepartementOfCommune(s.CodeInsee)] = true, true
	r.stamp(&s.Provenance, s.Source, &s.UpdatedAt)
	if k := serviceKey(key, s.Name, s.Thematiques); k != "" {
		// Within a source, records with distinct ids are the source's
		// business (sessions of a training, places of a network); across
		// sources, the first one brought stays visible.
		owner, taken := r.ledger.serviceKeys[k]
		switch {
		case !taken:
			r.ledger.serviceKeys[k] = keyOwner{s.ID, s.Source}
		case owner.id != s.ID && owner.source != s.Source:
			s.Provenance.DuplicateOf = owner.id
			r.rep.Duplicates++
		}
	}
	vals := values(serviceFields, s)
	s.Provenance.Hash = digest(vals, s.Provenance.DuplicateOf)
	s.Provenance.Fields = fieldHashes(vals)
	prev := r.ledger.services[s.ID]
	switch {
	case prev == nil:
		r.rep.New++
		s.CreatedAt = r.now
		return s, statusNew
	case prev.hash == s.Provenance.Hash && prev.missing == nil && prev.status == directory.StatusPublished:
		r.rep.Unchanged++
		return s, statusUnchanged
	case prev.status != directory.StatusPublished && prev.missing == nil:
		// Unpublished on Repère by a person: their choice stands.
		r.rep.Unchanged++
		return s, statusUnchanged
	}
	r.rep.Updated++
	return s, statusChanged
}

// merge is the new version of a stored service: the source's values, except
// for the fields someone edited on Repère since the last import, which are
// kept, the source's value shown beside them to moderators.
func (r *run) merge(cur, in *directory.Service) *directory.Service {
	out, proposed := merge(serviceFields, cur, in, cur.Provenance.Fields, r.now)
	out.Provenance = in.Provenance
	out.Provenance.Proposed = proposed
	out.Source, out.UpdatedAt = in.Source, in.UpdatedAt
	if cur.Provenance.Missing != nil || cur.Status == directory.StatusPublished {
		out.Status = directory.StatusPublished // back in its source
	}
	return &out
}

// gone unpublishes, after the grace period, the services of the run's scope
// that its source no longer has; the first run that misses one records when.
func (r *run) gone(ctx context.Context, scope Scope) error {
	if scope.FromRecords {
		scope.Sources, scope.Departements = sortedKeys(r.sources), sortedKeys(r.departements)
		if len(scope.Sources) == 0 {
			return nil // nothing read: nothing can be said gone
		}
	}
	var writes []catalog.Imported
	for id, k := range r.ledger.services {
		if _, ok := r.seen[id]; ok || k.status != directory.StatusPublished || !scope.covers(k.source, k.departement, k.structureID) {
			continue
		}
		missing := r.now
		if k.missing != nil {
			missing = *k.missing
		}
		expired := r.now.Sub(missing) >= r.opt.Grace
		if expired {
			r.rep.Unpublished++
		} else {
			r.rep.Missing++
			if k.missing != nil {
				continue // already recorded
			}
		}
		if r.opt.DryRun {
			continue
		}
		cur, err := r.im.Store.Service(ctx, id)
		if err != nil {
			return err
		}
		next := *cur
		m := missing
		next.Provenance.Missing = &m
		if expired {
			next.Status = directory.StatusArchived
		}
		writes = append(writes, catalog.Imported{Service: &next, Prev: cur})
		if len(writes) == batchSize {
			if err := r.write(ctx, writes); err != nil {
				return err
			}
			writes = nil
		}
	}
	return r.write(ctx, writes)
}

// graceDays says the grace in days for the report.
func graceDays(d time.Duration) int { return int(d / (24 * time.Hour)) }
