package seed

import (
	"crypto/sha256"
	"strconv"
	"time"

	"github.com/repere-spie/repere/internal/directory"
)

// Named demo cases: records every dataset holds, whatever the seed, when its
// geography has Châtellerault (86066). Tests and demos rely on them; they
// count in Options.Services.
var (
	// Plateforme mobilité du Grand Châtellerault (Wimoov).
	ChatelleraultMobilityStructureID = fixedID("chatellerault-mobilite")
	// Vehicle hire, mobilite--acceder-a-un-vehicule, on site in Châtellerault,
	// zone: the whole Vienne (département 86).
	ChatelleraultMobilityID = fixedID("chatellerault-mobilite-location")
	// Mobility advice at a distance only, zone: France.
	ChatelleraultRemoteID = fixedID("chatellerault-mobilite-distance")
	// Bike loans, zone: the EPCI of Châtellerault, suspended for 30 days after Options.Now.
	ChatelleraultSuspendedID = fixedID("chatellerault-mobilite-velos")
	// Driving-licence grant, a draft, zone: département 86.
	ChatelleraultDraftID = fixedID("chatellerault-mobilite-permis")

	// Crèche Les Petits Pas, a crèche AVIP.
	ChatelleraultCrecheStructureID = fixedID("chatellerault-creche")
	// Childcare, famille--garde-denfants ("garde d'enfants", "crèche"), zone:
	// the commune of Châtellerault.
	ChatelleraultCrecheID = fixedID("chatellerault-creche-avip")
	// Childcare at atypical hours, archived, zone: the commune.
	ChatelleraultArchivedID = fixedID("chatellerault-creche-horaires")
)

// ChatelleraultCode is the INSEE code of the commune of the named cases.
const ChatelleraultCode = "86066"

func fixedID(name string) string {
	sum := sha256.Sum256([]byte("repere-demo/" + name))
	return idEncoding.EncodeToString(sum[:10])
}

type namedStructure struct {
	structure *directory.Structure
	services  []*directory.Service
}

// named builds the named cases. Their contents do not depend on the seed
// (only their provenance does), and they draw nothing from the generator.
func (g *generator) named() []namedStructure {
	c := g.byCode[ChatelleraultCode]
	if c == nil || len(c.PostalCodes) == 0 {
		return nil
	}
	now := g.opt.Now // midnight of the reference day
	fresh := now.Add(-10 * 24 * time.Hour)
	created := now.AddDate(-1, -2, 0)
	prov := directory.Provenance{Kind: "demo", Origin: "seed=" + strconv.FormatInt(g.opt.Seed, 10)}
	at := func(dLon, dLat float64) (*float64, *float64) {
		if c.Center == nil {
			return nil, nil
		}
		lon, lat := round5(c.Center.Lon()+dLon), round5(c.Center.Lat()+dLat)
		return &lon, &lat
	}

	mobility := &directory.Structure{
		ID: ChatelleraultMobilityStructureID, Source: Source,
		Name:        "Plateforme mobilité du Grand Châtellerault",
		SIRET:       "80295478400020",
		Description: "La plateforme mobilité accompagne les habitants du Châtelleraudais qui ont des difficultés à se déplacer vers l'emploi, la formation ou les soins : conseil, location de véhicules, aides au permis.",
		Address:     "12 rue de la République", PostalCode: c.PostalCodes[0], CodeInsee: c.Code, CommuneName: c.Name,
		Phone: "+33536490112", Email: "contact@mobilite-grand-chatellerault.example.org",
		Website:      "https://www.mobilite-grand-chatellerault.example.org",
		OpeningHours: "Mo-Fr 09:00-12:00,14:00-17:00; PH off",
		Networks:     []string{"wimoov", "mobin"},
		Version:      3, CreatedAt: created, UpdatedAt: fresh, Provenance: prov,
	}
	mobility.Longitude, mobility.Latitude = at(0.004, -0.003)

	creche := &directory.Structure{
		ID: ChatelleraultCrecheStructureID, Source: Source,
		Name:        "Crèche Les Petits Pas",
		SIRET:       "78930215500039",
		Description: "La crèche Les Petits Pas accueille les enfants de deux mois et demi à trois ans et réserve des places aux parents en recherche d'emploi ou en formation (crèche à vocation d'insertion professionnelle).",
		Address:     "5 allée des Tilleuls", PostalCode: c.PostalCodes[0], CodeInsee: c.Code, CommuneName: c.Name,
		Phone: "+33536490245", Email: "accueil@creche-les-petits-pas.example.org",
		OpeningHours: "Mo-Fr 07:30-18:30; PH off",
		Networks:     []string{"creches-avip"},
		Version:      2, CreatedAt: created, UpdatedAt: fresh, Provenance: prov,
	}
	creche.Longitude, creche.Latitude = at(-0.006, 0.002)

	epci := directory.Zone{Kind: directory.ZoneEPCI, Code: c.EPCI}
	if c.EPCI == "" {
		epci = directory.Zone{Kind: directory.ZoneCommune, Code: c.Code}
	}
	dep86 := directory.Zone{Kind: directory.ZoneDepartement, Code: c.Departement}
	suspendedUntil := now.AddDate(0, 0, 30)

	svc := func(st *directory.Structure, id, name, besoin, typ, fees string, zone []directory.Zone, modes []string, status directory.Status, text string) *directory.Service {
		published := created.AddDate(0, 0, 7)
		s := &directory.Service{
			ID: id, StructureID: st.ID, Source: Source,
			Name: name, Description: text, Type: typ, Thematiques: []string{besoin}, Fees: fees,
			Publics:     []string{"demandeurs-emploi", "jeunes", "beneficiaires-des-minimas-sociaux"},
			CommuneName: c.Name, PostalCode: c.PostalCodes[0], CodeInsee: c.Code,
			Address: st.Address, Longitude: st.Longitude, Latitude: st.Latitude,
			Phone: st.Phone, Email: st.Email,
			ReceptionModes: modes, EligibilityZone: zone,
			MobilisationModes: []string{"se-presenter", "telephoner"},
			MobilisableBy:     []string{"usagers", "professionnels"},
			OpeningHours:      st.OpeningHours,
			Status:            status, UpdateFrequency: directory.FrequencyHalfYearly,
			Version: 2, CreatedAt: created, UpdatedAt: fresh, Provenance: prov,
		}
		if status != directory.StatusDraft {
			s.PublishedAt = &published
		}
		if fees == "payant" {
			s.FeesDetails = "Tarif solidaire : 2 euros par jour de location."
		}
		return s
	}

	vehicles := svc(mobility, ChatelleraultMobilityID, "Location solidaire de voitures et de scooters",
		"mobilite--acceder-a-un-vehicule", "aide-materielle", "payant", []directory.Zone{dep86}, []string{"en-presentiel"}, directory.StatusPublished,
		"Vous avez trouvé un emploi ou une formation mais n'avez pas de moyen de transport ? La plateforme loue voitures, scooters et vélos à assistance électrique à tarif solidaire, dans toute la Vienne, le temps de trouver une solution durable.\n\nCe que nous vous proposons :\n- un diagnostic de vos besoins de déplacement ;\n- une location d'un jour à trois mois ;\n- un lien avec votre conseiller emploi ou votre référent social.\n\nVous pouvez vous présenter pendant les horaires d'accueil, sans rendez-vous. Appelez-nous pour réserver un véhicule.")
	vehicles.Thematiques = append(vehicles.Thematiques, "mobilite--etre-accompagne-dans-son-parcours-mobilite")

	remote := svc(mobility, ChatelleraultRemoteID, "Conseil en mobilité à distance",
		"mobilite--etre-accompagne-dans-son-parcours-mobilite", "accompagnement", "gratuit", []directory.Zone{directory.France}, []string{"a-distance"}, directory.StatusPublished,
		"Une conseillère en mobilité vous appelle ou vous reçoit en visioconférence pour faire le bilan de vos déplacements et construire un plan d'action, où que vous habitiez en France.\n\nAu programme :\n- un bilan de vos trajets et de vos contraintes ;\n- les solutions de transport près de chez vous ;\n- les aides financières auxquelles vous avez droit.\n\nAppelez-nous pour convenir d'un premier rendez-vous.")
	remote.Address, remote.Longitude, remote.Latitude = "", nil, nil
	remote.MobilisationModes = []string{"telephoner", "envoyer-un-courriel"}

	bikes := svc(mobility, ChatelleraultSuspendedID, "Prêt de vélos et apprentissage du vélo",
		"mobilite--mobilite-douce-partagee-collective", "aide-materielle", "gratuit", []directory.Zone{epci}, []string{"en-presentiel"}, directory.StatusPublished,
		"Nous prêtons des vélos pour aller travailler et proposons des séances pour apprendre ou réapprendre à circuler en toute sécurité dans l'agglomération.\n\nLe service comprend :\n- le prêt d'un vélo et d'un antivol pour trois mois ;\n- deux séances de remise en selle ;\n- l'entretien du vélo pendant le prêt.\n\nLe prêt reprendra après l'inventaire du parc de vélos.")
	bikes.SuspendedUntil = &suspendedUntil

	licence := svc(mobility, ChatelleraultDraftID, "Aide financière au permis de conduire",
		"mobilite--financer-ma-mobilite", "aide-financiere", "gratuit", []directory.Zone{dep86}, []string{"en-presentiel"}, directory.StatusDraft,
		"Une aide peut prendre en charge une partie du coût du permis de conduire pour les personnes qui en ont besoin pour un emploi ou une formation dans la Vienne.\n\nConcrètement :\n- une étude de votre situation ;\n- un financement jusqu'à 800 euros ;\n- un suivi avec l'auto-école partenaire.\n\nCette fiche est en cours de rédaction.")

	childcare := svc(creche, ChatelleraultCrecheID, "Garde d'enfants en crèche à vocation d'insertion professionnelle",
		"famille--garde-denfants", "aide-materielle", "payant", []directory.Zone{{Kind: directory.ZoneCommune, Code: c.Code}}, []string{"en-presentiel"}, directory.StatusPublished,
		"La crèche Les Petits Pas réserve des places aux enfants de parents en recherche d'emploi ou en formation à Châtellerault, pour leur permettre de se rendre à leurs rendez-vous et de reprendre une activité.\n\nCe que nous vous proposons :\n- une place en crèche dès la signature de votre accompagnement ;\n- des horaires adaptés à vos démarches ;\n- un lien avec France Travail pour votre recherche d'emploi.\n\nVous pouvez vous présenter pendant les horaires d'accueil, sans rendez-vous.")
	childcare.Publics = []string{"familles", "demandeurs-emploi", "femmes"}
	childcare.FeesDetails = "Participation calculée selon le quotient familial."

	atypical := svc(creche, ChatelleraultArchivedID, "Garde d'enfants à horaires atypiques",
		"famille--garde-denfants", "aide-materielle", "payant", []directory.Zone{{Kind: directory.ZoneCommune, Code: c.Code}}, []string{"en-presentiel"}, directory.StatusArchived,
		"Des professionnelles gardaient vos enfants tôt le matin et tard le soir, en dehors des horaires de la crèche.\n\nLe service comprenait :\n- une garde à domicile de 5 h à 7 h 30 ;\n- une garde de 18 h 30 à 22 h ;\n- une participation selon vos revenus.\n\nCe service n'est plus proposé.")
	atypical.Publics = []string{"familles"}
	atypical.FeesDetails = "Participation calculée selon le quotient familial."

	for _, st := range []*directory.Structure{mobility, creche} {
		g.names[st.Name] = true
	}
	return []namedStructure{
		{mobility, []*directory.Service{vehicles, remote, bikes, licence}},
		{creche, []*directory.Service{childcare, atypical}},
	}
}
