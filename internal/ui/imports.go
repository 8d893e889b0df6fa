package ui

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/repere-spie/repere/internal/account"
	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/importer"
)

// importsPath is the partner space's import page; files are posted to it.
const importsPath = "/espace/imports"

// The imports of the partner space: a moderator or a platform
// administrator sends a spreadsheet or a data·inclusion file, reads the
// dry run's report, confirms, follows the import and finds it in the
// history. The work is importer.Runs'; these handlers show it.

type importsPage struct {
	Layout
	Errors    []Link
	Territory string // the départements the person may import into; "" for all
	MaxMB     int
	Runs      []importRow
	// Sync offers a data·inclusion sync of one of these départements,
	// when the site has the API configured.
	Sync      []Link // Label: name, URL: code
	SyncError string
}

type importRow struct {
	URL, Date, What, Kind, By, Summary string
	State                              importState
}

type importState struct{ Label, Badge string }

func stateOf(r *importer.Report) importState {
	switch r.State {
	case importer.StateRunning:
		return importState{"En cours", "fr-badge--info"}
	case importer.StateDone:
		return importState{"Terminé", "fr-badge--success"}
	case importer.StateStopped:
		return importState{"Interrompu", "fr-badge--warning"}
	}
	return importState{"Échec", "fr-badge--error"}
}

func kindOf(r *importer.Report) string {
	if r.DryRun {
		return "Essai"
	}
	return "Import"
}

// parisTime formats an instant for the pages.
func parisTime(t time.Time) string {
	return t.In(directory.Paris).Format("02/01/2006 à 15:04")
}

// frenchDuration says how long a run took.
func frenchDuration(d time.Duration) string {
	switch s := int(d.Round(time.Second) / time.Second); {
	case s < 1:
		return "moins d’une seconde"
	case s < 60:
		return fmt.Sprintf("%d s", s)
	default:
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
}

// importOptions are the options of an import started by the signed-in
// person: in their territory, unless they run the platform.
func importOptions(c *fiber.Ctx, dryRun bool) importer.Options {
	u := actorOf(c).User
	o := importer.Options{DryRun: dryRun, Actor: u.Name, ActorID: u.ID}
	if !u.PlatformAdmin {
		o.Departements = u.ModeratorOf
	}
	return o
}

// mayRead reports whether the signed-in person may read a run: theirs, or
// any for a platform administrator.
func mayRead(c *fiber.Ctx, r *importer.Report) bool {
	u := actorOf(c).User
	return u.PlatformAdmin || r.ActorID != "" && r.ActorID == u.ID
}

func (s *Server) importsPage(c *fiber.Ctx, problem error) (importsPage, error) {
	p := importsPage{Layout: s.espaceLayout(c, "Importer des services"), MaxMB: importer.MaxUpload >> 20}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: account.DashboardPath}, Link{Label: "Importer des services"})
	if u := actorOf(c).User; !u.PlatformAdmin {
		p.Territory = strings.Join(u.ModeratorOf, ", ")
	}
	if problem != nil {
		p.Errors = []Link{{Label: problem.Error(), URL: "#" + fieldID("fichier")}}
	}
	if s.Imports.Sync != nil {
		for _, d := range s.Gazetteer.Departements() {
			if u := actorOf(c).User; u.PlatformAdmin || u.Moderates(d.Code) {
				p.Sync = append(p.Sync, Link{Label: d.Code + " – " + d.Name, URL: d.Code})
			}
		}
	}
	runs, err := s.Imports.History(c.UserContext(), 50, func(r *importer.Report) bool { return mayRead(c, r) })
	if err != nil {
		return p, err
	}
	for _, r := range runs {
		p.Runs = append(p.Runs, importRow{URL: importsPath + "/" + r.ID, Date: parisTime(r.StartedAt), What: r.Label + " — " + r.What,
			Kind: kindOf(r), By: r.Actor, Summary: r.Summary(), State: stateOf(r)})
	}
	return p, nil
}

// importsShow is the upload form and the history of imports.
func (s *Server) importsShow(c *fiber.Ctx) error {
	p, err := s.importsPage(c, nil)
	if err != nil {
		return err
	}
	return c.Render("espace/imports", p)
}

// importUpload keeps the file sent and starts its dry run.
func (s *Server) importUpload(c *fiber.Ctx) error {
	fh, err := c.FormFile("fichier")
	if err == nil && fh.Size > importer.MaxUpload {
		err = directory.Errorf(directory.EINVALID, "Le fichier dépasse %d Mo.", importer.MaxUpload>>20)
	}
	var id string
	if err == nil {
		f, oerr := fh.Open()
		if oerr != nil {
			return oerr
		}
		id, err = s.Imports.Upload(fh.Filename, f)
		_ = f.Close()
	} else if !invalid(err) {
		err = directory.Errorf(directory.EINVALID, "Choisissez le fichier à importer.")
	}
	return s.dryRun(c, id, err, false)
}

// dryRun answers a posted import: the form again with its error (under the
// file, or under the sync's département), or the dry run of what id holds,
// started.
func (s *Server) dryRun(c *fiber.Ctx, id string, err error, sync bool) error {
	if invalid(err) {
		var fileErr error
		if !sync {
			fileErr = err
		}
		p, perr := s.importsPage(c, fileErr)
		if perr != nil {
			return perr
		}
		if sync {
			p.SyncError = err.Error()
		}
		return renderForm(c, http.StatusUnprocessableEntity, "espace/imports", p)
	} else if err != nil {
		return err
	}
	r, err := s.Imports.Reader(id)
	if err != nil {
		return err
	}
	return c.Redirect(importsPath+"/"+s.Imports.Start(r, importOptions(c, true), id), http.StatusSeeOther)
}

// importSync starts the dry run of a sync of one département from the
// data·inclusion API.
func (s *Server) importSync(c *fiber.Ctx) error {
	dep := s.form(c).Get("departement")
	u := actorOf(c).User
	_, known := s.Gazetteer.Departement(dep)
	var err error
	switch {
	case s.Imports.Sync == nil:
		return directory.Errorf(directory.ENOTFOUND, "La synchronisation avec data·inclusion n’est pas configurée sur ce site.")
	case !known || !u.PlatformAdmin && !u.Moderates(dep):
		err = directory.Errorf(directory.EINVALID, "Choisissez un département de votre territoire.")
	}
	var id string
	if err == nil {
		id, err = s.Imports.PrepareSync(dep)
	}
	return s.dryRun(c, id, err, true)
}

// importTemplate is the spreadsheet to fill in, with its instructions.
func (s *Server) importTemplate(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="modele-import-repere.xlsx"`)
	return importer.WriteTemplate(c.Response().BodyWriter())
}

type importPage struct {
	Layout
	Run        *importer.Report
	State      importState
	Kind       string
	Started    string
	Duration   string
	Percent    int
	Counts     []importCount
	Structures string
	Confirm    string // where the confirmation is posted; "" when it cannot be
	Rejected   int    // rejections listed below, when fewer than counted
	Warned     int
}

type importCount struct {
	Label string
	N     int
}

// importShow is one run: its progress while it runs (the page reloads
// itself), then its report; after a dry run, the confirmation.
func (s *Server) importShow(c *fiber.Ctx) error {
	r, err := s.Imports.Report(c.UserContext(), c.Params("run"))
	if err != nil {
		return err
	}
	if !mayRead(c, r) {
		return directory.Errorf(directory.ENOTFOUND, "Cet import n’existe pas, ou il a été lancé par une autre personne.")
	}
	title := "Essai d’import"
	if !r.DryRun {
		title = "Import"
	}
	p := importPage{Layout: s.espaceLayout(c, title+" — "+r.What), Run: r, State: stateOf(r), Kind: kindOf(r),
		Started: parisTime(r.StartedAt), Percent: r.Percent()}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: account.DashboardPath},
		Link{Label: "Importer des services", URL: importsPath}, Link{Label: title})
	if r.State == importer.StateRunning {
		p.Refresh = 2
	}
	if r.FinishedAt != nil {
		p.Duration = frenchDuration(r.FinishedAt.Sub(r.StartedAt))
	}
	p.Counts = []importCount{{"Services nouveaux", r.New}, {"Services modifiés", r.Updated}, {"Services inchangés", r.Unchanged},
		{"Services absents du fichier (dépubliés après le délai de grâce)", r.Missing}, {"Services dépubliés", r.Unpublished},
		{"Lignes ou enregistrements rejetés", r.Rejected}, {"Doublons d’un service venu d’une autre source", r.Duplicates},
		{"Avertissements", r.Warnings}}
	p.Structures = fmt.Sprintf("%d nouvelles, %d modifiées, %d inchangées, %d doublons", r.StructuresNew, r.StructuresUpdated,
		r.StructuresUnchanged, r.StructureDuplicates)
	if r.DryRun && r.State == importer.StateDone && strings.HasSuffix(r.ID, importer.DryRunSuffix) {
		upload := strings.TrimSuffix(r.ID, importer.DryRunSuffix)
		if _, err := s.Imports.Report(c.UserContext(), upload); directory.ErrorCode(err) == directory.ENOTFOUND {
			if _, err := s.Imports.Reader(upload); err == nil {
				p.Confirm = importsPath + "/" + r.ID + "/confirmer"
			}
		}
	}
	if r.Rejected > len(r.Rejections) {
		p.Rejected = len(r.Rejections)
	}
	if r.Warnings > len(r.WarningList) {
		p.Warned = len(r.WarningList)
	}
	return c.Render("espace/import", p)
}

// importConfirm starts the import whose dry run the person read.
func (s *Server) importConfirm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	dry, err := s.Imports.Report(ctx, c.Params("run"))
	if err != nil {
		return err
	}
	if !mayRead(c, dry) || !dry.DryRun || !strings.HasSuffix(dry.ID, importer.DryRunSuffix) {
		return directory.Errorf(directory.ENOTFOUND, "Cet essai n’existe pas, ou il a été lancé par une autre personne.")
	}
	id, err := s.Imports.Confirm(ctx, strings.TrimSuffix(dry.ID, importer.DryRunSuffix), importOptions(c, false))
	if err != nil {
		return err
	}
	return c.Redirect(importsPath+"/"+id, http.StatusSeeOther)
}

type proposalsPage struct {
	Layout
	Territory string
	Items     []proposalItem
	More      bool
}

type proposalItem struct {
	Name, URL, Place, Source string
	Proposals                []proposalRow
}

type proposalRow struct{ Field, Current, Proposed, At string }

// maxProposals bounds the services the proposals page lists.
const maxProposals = 200

// importProposals lists, for the person's territory, the services whose
// source proposes values for fields someone edited on Repère: imports keep
// the edits and show the source's values here, to be taken over by hand.
func (s *Server) importProposals(c *fiber.Ctx) error {
	u := actorOf(c).User
	p := proposalsPage{Layout: s.espaceLayout(c, "Propositions des sources")}
	p.Breadcrumb = crumbs(Link{Label: "Espace partenaires", URL: account.DashboardPath},
		Link{Label: "Importer des services", URL: importsPath}, Link{Label: "Propositions des sources"})
	if !u.PlatformAdmin {
		p.Territory = strings.Join(u.ModeratorOf, ", ")
	}
	err := s.Imports.EachServiceWithProposals(c.UserContext(), func(svc *directory.Service) bool {
		if !u.PlatformAdmin && !u.Moderates(directory.DepartementOfCommune(svc.CodeInsee)) {
			return true
		}
		if len(p.Items) == maxProposals {
			p.More = true
			return false
		}
		it := proposalItem{Name: svc.Name, URL: "/espace/services/" + svc.ID, Place: strings.TrimSpace(svc.PostalCode + " " + svc.CommuneName),
			Source: svc.Source}
		for _, pr := range importer.Proposals(svc) {
			it.Proposals = append(it.Proposals, proposalRow{Field: pr.Field, Current: pr.Current, Proposed: pr.Proposed, At: parisTime(pr.At)})
		}
		p.Items = append(p.Items, it)
		return true
	})
	if err != nil {
		return err
	}
	return c.Render("espace/propositions", p)
}
