//go:build !unix

package listing

import (
	"errors"
	"os"
)

// plainDir is only possible on Unix; elsewhere ReadNames is Read.
func plainDir(*os.File, string) (*os.File, error) {
	return nil, errors.ErrUnsupported
}
