package listing

import (
	"io"
	"io/fs"
	"os"
	"path"
	"time"
)

// Entry is one name in a directory.
type Entry struct {
	Name      string    // the file name as bytes from the file system (may be invalid UTF-8)
	IsDir     bool      // a directory, or a symlink that resolves to one
	IsSymlink bool      // a symbolic link, whatever it leads to
	Size      int64     // in bytes; of the target for a symlink that resolves
	ModTime   time.Time // of the target for a symlink that resolves
}

// batchSize is how many directory entries Read asks the file system for
// at a time, so a huge directory never has more than this many
// [os.DirEntry] values alive at once.
const batchSize = 1024

// Read lists dir inside root, stat-ing only symlinks (to learn whether
// they lead to a directory); a symlink whose target cannot be stat-ed
// inside root (dangling, or leading outside the root) is listed as a
// non-directory symlink.
//
// os.Root follows no absolute symlink, even one that leads back inside
// root, so such links are listed as non-directory symlinks too.
//
// dir is a slash-separated path relative to root, "." for root itself.
// The entries come in file system order; call [Sort] before rendering.
// An entry that disappears while it is being read is left out.
func Read(root *os.Root, dir string) ([]Entry, error) {
	f, err := root.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var entries []Entry
	for {
		batch, err := f.ReadDir(batchSize)
		for _, d := range batch {
			entries = append(entries, newEntry(root, dir, d))
		}
		if err == io.EOF {
			return entries, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// ReadNames is [Read] without sizes and times, for Python's page, which
// shows neither. A directory opened in an os.Root stats every entry as it
// is read (Go 1.26), which is most of the cost of listing a large
// directory; ReadNames reads a duplicate of the directory's descriptor as
// a plain file instead, so the names and types come from the directory
// itself (getdents(2)), and only symlinks are stat-ed, inside root.
func ReadNames(root *os.Root, dir string) ([]Entry, error) {
	f, err := root.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	plain, err := plainDir(f, path.Join(root.Name(), dir))
	if err != nil {
		return Read(root, dir)
	}
	defer plain.Close()
	var entries []Entry
	for {
		batch, err := plain.ReadDir(batchSize)
		for _, d := range batch {
			e := Entry{Name: d.Name(), IsDir: d.IsDir(), IsSymlink: d.Type()&fs.ModeSymlink != 0}
			if e.IsSymlink {
				if info, err := root.Stat(path.Join(dir, e.Name)); err == nil {
					e.IsDir = info.IsDir()
				}
			}
			entries = append(entries, e)
		}
		if err == io.EOF {
			return entries, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// newEntry turns d into an Entry, keeping nothing of d.
func newEntry(root *os.Root, dir string, d fs.DirEntry) Entry {
	e := Entry{
		Name:      d.Name(),
		IsDir:     d.IsDir(),
		IsSymlink: d.Type()&fs.ModeSymlink != 0,
	}
	// For a directory opened in an os.Root, ReadDir has already called
	// lstat on every entry (fstatat on the directory), so Info costs
	// nothing more; it can only fail if the file has just gone away.
	if info, err := d.Info(); err == nil {
		e.Size, e.ModTime = info.Size(), info.ModTime()
	}
	if e.IsSymlink {
		// Python's os.path.isdir follows the link wherever it leads;
		// root.Stat refuses links that leave the root, and those are
		// listed as plain symlinks.
		if info, err := root.Stat(path.Join(dir, e.Name)); err == nil {
			e.IsDir = info.IsDir()
			e.Size, e.ModTime = info.Size(), info.ModTime()
		}
	}
	return e
}
