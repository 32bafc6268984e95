package main

import "unicode/utf8"

// isUTF8 reports whether s is valid UTF-8 text.
func isUTF8(s string) bool { return utf8.ValidString(s) }
