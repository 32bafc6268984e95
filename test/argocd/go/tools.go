//go:build tools

// Package tools pins the argo-cd command package so `go mod tidy` keeps its whole dependency graph.
package tools

import _ "github.com/argoproj/argo-cd/v3/cmd"
