package ui

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/repere-spie/repere/internal/directory"
	"github.com/repere-spie/repere/internal/observatory"
)

// observatoryDownload serves the figures of the observatory page commune by
// commune, as CSV (UTF-8 with BOM, semicolons: what spreadsheets in French
// open as is) or XLSX.
func (s *Server) observatoryDownload(c *fiber.Ctx) error {
	format := c.Params("format")
	if format != "csv" && format != "xlsx" {
		return directory.Errorf(directory.ENOTFOUND, "Format inconnu : « %s ». Les chiffres se téléchargent en CSV ou en XLSX.", format)
	}
	q, err := s.observatoryQuery(c)
	if err != nil {
		return err
	}
	cv := s.observatory().Coverage()
	if cv == nil { // the page says the figures are being computed
		return c.Redirect(observatoryURL("/observatoire", q), fiber.StatusSeeOther)
	}
	rep, err := cv.Report(q)
	if err != nil {
		return err
	}
	cv.FillNearest(rep)
	header, rows := observatoryTable(rep)
	name := "observatoire-" + strings.ReplaceAll(q.Territory.Key(), ":", "-") + "-" + rep.Theme.Value + "-" + strconv.Itoa(q.RadiusKm) + "km"
	var body bytes.Buffer
	if format == "csv" {
		body.WriteString("\ufeff")
		w := csv.NewWriter(&body)
		w.Comma = ';'
		_ = w.Write(header)
		for _, r := range rows {
			_ = w.Write(r)
		}
		w.Flush()
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		if err := writeXLSX(&body, header, rows); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+"."+format+`"`)
	return c.Send(body.Bytes())
}

// observatoryTable is the download's header and rows: one row per commune.
func observatoryTable(rep *observatory.Report) ([]string, [][]string) {
	km := strconv.Itoa(rep.RadiusKm)
	header := []string{"code_insee", "commune", "departement", "epci", "population"}
	for _, r := range observatory.Radii {
		header = append(header, fmt.Sprintf("services_sur_place_%d_km", r))
	}
	header = append(header, "services_a_distance_seulement_"+km+"_km", "offre_sur_place_"+km+"_km", "offre_sur_place_la_plus_proche_km", "thematique", "calcule_le")
	built := rep.Built.Format("2006-01-02T15:04:05Z07:00")
	rows := make([][]string, 0, len(rep.Rows))
	for _, r := range rep.Rows {
		row := []string{r.Commune.Code, r.Commune.Name, r.Commune.Departement, r.Commune.EPCI, strconv.Itoa(r.Commune.Population)}
		for i := range observatory.Radii {
			row = append(row, strconv.Itoa(r.Cell.OnSite[i]))
		}
		covered, nearest := "non", ""
		if r.Covered() {
			covered = "oui"
		} else if r.Nearest != nil {
			nearest = strconv.FormatFloat(r.Nearest.Km, 'f', 1, 64)
		}
		rows = append(rows, append(row, strconv.Itoa(r.Remote), covered, nearest, rep.Theme.Value, built))
	}
	return header, rows
}

// writeXLSX writes one sheet, numbers as numbers, streamed row by row.
func writeXLSX(w *bytes.Buffer, header []string, rows [][]string) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	values := make([]any, len(header))
	for i, h := range header {
		values[i] = h
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	for n, r := range rows {
		for i, v := range r {
			values[i] = v
			if i >= 4 && i <= 9 || i == 11 && v != "" {
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					values[i] = x
				}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", "Communes"); err != nil {
		return err
	}
	return f.Write(w)
}
