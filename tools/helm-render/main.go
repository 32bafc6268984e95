// Command bosun-helm-render renders Helm charts the way `helm template` does, for many charts in
// one long-lived process: bosun sends one JSON request per line on stdin and reads one JSON answer
// per line on stdout. It links the same Helm library version as the `helm` binary it stands in
// for, and bosun uses it only when the two report the same version.
//
// Request:  {"id":1,"release":"web","chart":"/abs/chart","namespace":"ns","valueFiles":[...],
//
//	"set":["a=b"],"setString":["c=d"],"kubeVersion":"1.36","apiVersions":["v1",...]}
//
// Answer:   {"id":1,"ok":true,"stdout":"..."} or {"id":1,"ok":false,"stderr":"Error: ..."}
// The first line bosun reads is {"helm":"<library version>"}.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/cli"
	"helm.sh/helm/v3/pkg/cli/values"
	"helm.sh/helm/v3/pkg/getter"
)

type request struct {
	ID         int64    `json:"id"`
	Release    string   `json:"release"`
	Chart      string   `json:"chart"`
	Namespace  string   `json:"namespace"`
	ValueFiles []string `json:"valueFiles"`
	Set        []string `json:"set"`
	SetString  []string `json:"setString"`
	// KubeVersion and APIVersions are --kube-version and --api-versions.
	KubeVersion string   `json:"kubeVersion"`
	APIVersions []string `json:"apiVersions"`
}

type answer struct {
	ID     int64  `json:"id"`
	OK     bool   `json:"ok"`
	Stdout string `json:"stdout,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	// Invalid is set when the output is not valid UTF-8 (JSON would hide it behind U+FFFD).
	Invalid bool `json:"invalid,omitempty"`
}

// helmVersion is the version of the Helm module this binary was built with.
func helmVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == "helm.sh/helm/v3" {
				if d.Replace != nil {
					return d.Replace.Version
				}
				return d.Version
			}
		}
	}
	return "unknown"
}

// render does what `helm template NAME CHART --include-crds [--namespace] [--values]... [--set]...`
// does, and returns what that command prints on stdout.
func render(settings *cli.EnvSettings, r request) (string, error) {
	client := action.NewInstall(new(action.Configuration))
	client.DryRunOption = "true"
	client.DryRun = true
	client.Replace = true
	client.ClientOnly = true
	client.IncludeCRDs = true
	client.ReleaseName = r.Release
	if r.KubeVersion != "" {
		parsed, err := chartutil.ParseKubeVersion(r.KubeVersion)
		if err != nil {
			return "", fmt.Errorf("invalid kube version '%s': %s", r.KubeVersion, err)
		}
		client.KubeVersion = parsed
	}
	client.APIVersions = chartutil.VersionSet(r.APIVersions)
	cp, err := client.ChartPathOptions.LocateChart(r.Chart, settings)
	if err != nil {
		return "", err
	}
	opts := values.Options{ValueFiles: r.ValueFiles, Values: r.Set, StringValues: r.SetString}
	vals, err := opts.MergeValues(getter.All(settings))
	if err != nil {
		return "", err
	}
	ch, err := loader.Load(cp)
	if err != nil {
		return "", err
	}
	switch ch.Metadata.Type {
	case "", "application":
	default:
		return "", fmt.Errorf("%s charts are not installable", ch.Metadata.Type)
	}
	if req := ch.Metadata.Dependencies; req != nil {
		if err := action.CheckDependencies(ch, req); err != nil {
			return "", fmt.Errorf("An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: %w", err)
		}
	}
	client.Namespace = r.Namespace
	if client.Namespace == "" {
		client.Namespace = "default"
	}
	rel, err := client.Run(ch, vals)
	if err != nil {
		if rel != nil {
			return "", fmt.Errorf("%w\n\nUse --debug flag to render out invalid YAML", err)
		}
		return "", err
	}
	var out bytes.Buffer
	fmt.Fprintln(&out, strings.TrimSpace(rel.Manifest))
	for _, m := range rel.Hooks {
		fmt.Fprintf(&out, "---\n# Source: %s\n%s\n", m.Path, m.Manifest)
	}
	return out.String(), nil
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "version" {
		fmt.Println(helmVersion())
		return
	}
	settings := cli.New()
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	var mu sync.Mutex
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	send := func(v any) {
		mu.Lock()
		defer mu.Unlock()
		_ = out.Encode(v)
	}
	send(map[string]string{"helm": helmVersion()})
	slots := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for {
		line, err := in.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			var r request
			if jerr := json.Unmarshal(line, &r); jerr != nil {
				send(answer{ID: -1, Stderr: "Error: bad request: " + jerr.Error()})
			} else {
				slots <- struct{}{}
				wg.Add(1)
				go func(r request) {
					defer wg.Done()
					defer func() { <-slots }()
					send(answerFor(settings, r))
				}(r)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bosun-helm-render:", err)
			break
		}
	}
	wg.Wait()
}

// answerFor renders one request, turning a panic in a chart's templates into an error answer.
func answerFor(settings *cli.EnvSettings, r request) (a answer) {
	a.ID = r.ID
	defer func() {
		if p := recover(); p != nil {
			a = answer{ID: r.ID, Stderr: fmt.Sprintf("Error: %v", p)}
		}
	}()
	if !filepath.IsAbs(r.Chart) {
		return answer{ID: r.ID, Stderr: "Error: chart path must be absolute"}
	}
	s, err := render(settings, r)
	if err != nil {
		return answer{ID: r.ID, Stderr: "Error: " + err.Error()}
	}
	return answer{ID: r.ID, OK: true, Stdout: s, Invalid: !isUTF8(s)}
}
