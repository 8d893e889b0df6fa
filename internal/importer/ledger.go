package importer

import (
	"context"
	"sync"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/store"
)

// ledger is what the store already holds that a run compares with: the
// feed's services and structures (by Repère id, with the hash of their last
// import) and the keys that recognise a record across sources. It is read
// in one scan of each collection at the start of a run.
type ledger struct {
	services       map[string]*knownService
	structures     map[string]*knownStructure
	structureKeys  map[string]string   // cross-source key → structure id
	structureKeyOf map[string]string   // structure id → its key
	serviceKeys    map[string]keyOwner // cross-source key → the listed service holding it
	places         map[string]*directory.Structure
}

type knownService struct {
	hash        string
	status      directory.Status
	missing     *time.Time
	source      string
	departement string
	structureID string
}

// keyOwner is the service that holds a cross-source key.
type keyOwner struct{ id, source string }

type knownStructure struct {
	hash string
}

// storedService is what a run reads of each stored service: enough to
// compare it and to recognise duplicates. Decoding whole services (the
// descriptions above all) was most of a re-import's time.
type storedService struct {
	ID          string           `bson:"_id"`
	StructureID string           `bson:"structure_id"`
	Source      string           `bson:"source"`
	Name        string           `bson:"nom"`
	Thematiques []string         `bson:"thematiques"`
	CodeInsee   string           `bson:"code_insee"`
	Status      directory.Status `bson:"statut"`
	Provenance  struct {
		Feed        string     `bson:"flux"`
		Hash        string     `bson:"empreinte"`
		Missing     *time.Time `bson:"absent_depuis"`
		DuplicateOf string     `bson:"doublon_de"`
	} `bson:"provenance"`
}

func loadLedger(ctx context.Context, s *store.Store, feed string) (*ledger, error) {
	l := &ledger{
		services:       map[string]*knownService{},
		structures:     map[string]*knownStructure{},
		structureKeys:  map[string]string{},
		structureKeyOf: map[string]string{},
		serviceKeys:    map[string]keyOwner{},
		places:         map[string]*directory.Structure{},
	}
	err := s.EachStructure(ctx, func(st *directory.Structure) error {
		if st.Provenance.Feed == feed {
			l.structures[st.ID] = &knownStructure{hash: st.Provenance.Hash}
		}
		key := structureKey(st)
		if st.Provenance.DuplicateOf != "" {
			key = "" // the structure it duplicates holds the key
		}
		if key != "" {
			l.structureKeyOf[st.ID] = key
			if _, taken := l.structureKeys[key]; !taken {
				l.structureKeys[key] = st.ID
			}
		}
		// What the index copies from a structure into its services.
		l.places[st.ID] = reduced(st)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = store.EachServiceInto(ctx, s, func(svc *storedService) error {
		if svc.Provenance.Feed == feed {
			l.services[svc.ID] = &knownService{hash: svc.Provenance.Hash, status: svc.Status, missing: svc.Provenance.Missing,
				source: intern(svc.Source), departement: intern(directory.DepartementOfCommune(svc.CodeInsee)), structureID: svc.StructureID}
		}
		if svc.Status == directory.StatusPublished && svc.Provenance.DuplicateOf == "" { // Service.Listed
			if key := serviceKey(l.structureKeyOf[svc.StructureID], svc.Name, svc.Thematiques); key != "" {
				if _, taken := l.serviceKeys[key]; !taken {
					l.serviceKeys[key] = keyOwner{svc.ID, svc.Source}
				}
			}
		}
		return nil
	})
	return l, err
}

// interned keeps one copy of the few distinct sources and départements
// among hundreds of thousands of services.
var interned = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

func intern(s string) string {
	interned.Lock()
	defer interned.Unlock()
	if v, ok := interned.m[s]; ok {
		return v
	}
	if len(interned.m) < 10_000 {
		interned.m[s] = s
	}
	return s
}

func (l *ledger) structureByID(id string) *directory.Structure {
	return l.places[id]
}
