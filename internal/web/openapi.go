package web

import (
	"net/http"

	"github.com/birge-org/birge/internal/api"
)

// openAPI serves the OpenAPI 3.1 document of the JSON API.
func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(api.OpenAPI)
	return err
}
