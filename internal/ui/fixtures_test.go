package ui_test

import (
	"fmt"
	"time"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/geo"
)

// INSEE codes of the fixtures' communes.
const (
	chatellerault = "86066"
	poitiers      = "86194"
	tours         = "37261"
)

// hostileName is a name a careless template would execute.
const hostileName = `<script>window.__hostile=true</script> Atelier <b>CV</b> & "lettre"`

const hostileDescription = `# Titre

Un atelier **collectif**. <script>window.__hostile=true</script>

<img src="x" onerror="window.__hostile=true">

[Cliquez ici](javascript:window.__hostile=true) ou [le site](https://exemple.fr/atelier).`

// fixtures are a hand-made directory of the Vienne and Tours.
type fixtures struct {
	structures []*directory.Structure
	services   []*directory.Service

	garage, permis, creche, remote, tours, stale, hostile, draft, suspended *directory.Service
	garageSt, famillesSt, toursSt, hostileSt                                *directory.Structure
	fillers                                                                 int
}

// fillerCount makes Poitiers' results span two pages.
const fillerCount = 25

func ptr[T any](v T) *T { return &v }

func newFixtures(gaz *geo.Gazetteer) fixtures {
	at := func(code string) (lat, lon *float64) {
		c, ok := gaz.Commune(code)
		if !ok || c.Center == nil {
			panic("fixture commune " + code)
		}
		return ptr(c.Center[1]), ptr(c.Center[0])
	}
	recent := testNow.AddDate(0, 0, -3)
	var fx fixtures
	structure := func(id, name, code string) *directory.Structure {
		c, _ := gaz.Commune(code)
		lat, lon := at(code)
		st := &directory.Structure{
			ID: id, Source: "test", Name: name, CodeInsee: code, CommuneName: c.Name,
			PostalCode: c.PostalCodes[0], Address: "1 rue de la Gare", Latitude: lat, Longitude: lon,
			Phone: "+33549000000", Email: "contact@" + id + ".example", Networks: []string{"mobin"},
			CreatedAt: recent, UpdatedAt: recent, Provenance: directory.Provenance{Kind: "saisie"},
		}
		fx.structures = append(fx.structures, st)
		return st
	}
	service := func(id, name string, st *directory.Structure, code string, thematiques []string, zones ...directory.Zone) *directory.Service {
		c, _ := gaz.Commune(code)
		lat, lon := at(code)
		s := &directory.Service{
			ID: id, StructureID: st.ID, Source: "test", Name: name,
			Description: "Un service de test pour " + name + ".", Type: "accompagnement",
			Thematiques: thematiques, Fees: "gratuit", Publics: []string{"tous-publics"},
			CommuneName: c.Name, CodeInsee: code, PostalCode: c.PostalCodes[0], Address: "2 place du Marché",
			Latitude: lat, Longitude: lon, ReceptionModes: []string{"en-presentiel"}, EligibilityZone: zones,
			MobilisationModes: []string{"telephoner", "se-presenter"}, MobilisableBy: []string{"professionnels", "usagers"},
			Phone: "+33549112233", Email: "accueil@" + id + ".example",
			Status: directory.StatusPublished, UpdateFrequency: directory.FrequencyYearly,
			CreatedAt: recent, UpdatedAt: recent, Provenance: directory.Provenance{Kind: "saisie"},
		}
		fx.services = append(fx.services, s)
		return s
	}
	dep := func(code string) directory.Zone { return directory.Zone{Kind: directory.ZoneDepartement, Code: code} }

	fx.garageSt = structure("stgarage00000001", "Garage solidaire du Châtelleraudais", chatellerault)
	fx.garageSt.SIRET = "12345678900012"
	fx.garageSt.OpeningHours = "Mo-Fr 09:00-12:00,14:00-17:30"
	fx.famillesSt = structure("stfamilles000001", "Maison des familles de Poitiers", poitiers)
	fx.toursSt = structure("sttours000000001", "Association tourangelle pour le logement", tours)
	fx.hostileSt = structure("sthostile0000001", `Structure <i>"hostile"</i> & cie`, poitiers)

	fx.garage = service("svgarage00000001", "Réparation de véhicules à prix solidaire", fx.garageSt, chatellerault,
		[]string{"mobilite--entretenir-reparer-son-vehicule"}, dep("86"))
	fx.garage.Fees, fx.garage.FeesDetails = "payant", "10 € de l’heure de main-d’œuvre"
	fx.garage.OpeningHours = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 09:00-12:00"
	fx.garage.Description = "Le garage répare **à prix coûtant** les véhicules des personnes en parcours d’insertion.\n\n- diagnostic gratuit\n- pièces d’occasion"
	fx.garage.MobilisationLink = "https://garage.example/demande"
	fx.garage.ContactName = "Camille Martin"

	cht, _ := gaz.Commune(chatellerault)
	fx.permis = service("svpermis00000001", "Auto-école sociale", fx.garageSt, chatellerault,
		[]string{"mobilite--preparer-un-permis"}, directory.Zone{Kind: directory.ZoneEPCI, Code: cht.EPCI})
	fx.permis.Fees = "payant"

	fx.creche = service("svcreche00000001", "Crèche à vocation d’insertion professionnelle", fx.famillesSt, poitiers,
		[]string{"famille--garde-denfants"}, directory.Zone{Kind: directory.ZoneCommune, Code: poitiers})
	fx.creche.Publics = []string{"familles", "demandeurs-emploi"}

	fx.remote = service("svremote00000001", "Conseil en mobilité par téléphone", fx.famillesSt, poitiers,
		[]string{"mobilite--etre-accompagne-dans-son-parcours-mobilite"}, directory.France)
	fx.remote.ReceptionModes, fx.remote.Latitude, fx.remote.Longitude = []string{"a-distance"}, nil, nil

	fx.tours = service("svtours000000001", "Aide à la recherche d’un logement", fx.toursSt, tours,
		[]string{"logement-hebergement--louer-un-logement"}, dep("37"))

	fx.stale = service("svstale000000001", "Atelier d’écriture de CV", fx.famillesSt, poitiers,
		[]string{"preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"}, dep("86"))
	fx.stale.UpdateFrequency, fx.stale.UpdatedAt = directory.FrequencyMonthly, testNow.AddDate(-2, 0, 0)

	fx.hostile = service("svhostile0000001", hostileName, fx.hostileSt, poitiers,
		[]string{"numerique--maitriser-les-fondamentaux-du-numerique"}, dep("86"))
	fx.hostile.Description = hostileDescription
	fx.hostile.MobilisationLink = "javascript:window.__hostile=true"

	fx.draft = service("svdraft000000001", "Service en préparation", fx.famillesSt, poitiers,
		[]string{"sante--acces-aux-soins"}, dep("86"))
	fx.draft.Status = directory.StatusDraft

	fx.suspended = service("svsuspended00001", "Service suspendu", fx.famillesSt, poitiers,
		[]string{"sante--acces-aux-soins"}, dep("86"))
	fx.suspended.SuspendedUntil = ptr(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))

	for i := range fillerCount {
		s := service(fmt.Sprintf("svfiller%08d", i), fmt.Sprintf("Accompagnement numérique n° %d", i+1), fx.famillesSt, poitiers,
			[]string{"numerique--acceder-a-des-services-en-ligne"}, dep("86"))
		s.UpdatedAt = testNow.AddDate(0, 0, -10-i)
		fx.fillers++
	}
	return fx
}
