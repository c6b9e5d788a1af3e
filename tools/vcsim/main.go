// vcsim for vmdoctor: VMware's vCenter simulator (govmomi/simulator) with the knobs the
// integration tests and benchmarks need: inventory size, TLS with a certificate for the listen
// address, per-call and per-method delays, session idle timeout, replay of a govc capture.
//
// Once the service answers, one JSON line {"url": ..., "cert": ...} is printed on stdout (and
// written to -url-file). The process stops on SIGTERM/SIGINT or when stdin closes (-stdin-exit).
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"io"
	"log"
	"math/big"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address:port to listen on")
	esx := flag.Bool("esx", false, "simulate a standalone ESXi host instead of a vCenter")
	load := flag.String("load", "", "replay a `govc object.save` directory instead of generating")
	dcs := flag.Int("dc", 1, "datacenters")
	clusters := flag.Int("cluster", 1, "clusters per datacenter")
	clusterHosts := flag.Int("cluster-host", 3, "hosts per cluster")
	hosts := flag.Int("host", 1, "standalone hosts per datacenter")
	vms := flag.Int("vm", 2, "VMs per cluster and per standalone host")
	datastores := flag.Int("ds", 1, "datastores")
	portgroups := flag.Int("pg", 1, "distributed portgroups")
	pools := flag.Int("pool", 0, "extra resource pools per cluster")
	useTLS := flag.Bool("tls", false, "serve HTTPS with a self-signed certificate for the listen address")
	certOut := flag.String("cert-out", "", "write the PEM certificate here (with -tls)")
	urlFile := flag.String("url-file", "", "also write the ready line to this file")
	user := flag.String("username", "user", "login user name")
	pass := flag.String("password", "pass", "login password")
	delay := flag.Int("delay", 0, "delay in ms added to every call")
	methodDelay := flag.String("method-delay", "", "per-method delays: Method:ms[,Method:ms]")
	jitter := flag.Float64("jitter", 0, "delay jitter (coefficient of variation)")
	idle := flag.Duration("idle", 0, "session idle timeout (0 = never)")
	stdinExit := flag.Bool("stdin-exit", false, "exit when stdin is closed (the parent died)")
	// Faults the vSphere API of this simulator cannot produce (no DisconnectHost, no storage
	// to lose): set the state a real vCenter would report.
	disconnect := flag.String("disconnect-host", "", "comma-separated host names to report as disconnected")
	inaccessible := flag.String("inaccessible-ds", "", "comma-separated datastore names to report as inaccessible")
	flag.Parse()

	model := simulator.VPX()
	if *esx {
		model = simulator.ESX()
	}
	model.Datacenter = *dcs
	if !*esx {
		model.Cluster = *clusters
		model.ClusterHost = *clusterHosts
		model.Host = *hosts
		model.Portgroup = *portgroups
		model.Pool = *pools
	}
	model.Machine = *vms
	model.Datastore = *datastores
	model.DelayConfig.Delay = *delay
	model.DelayConfig.DelayJitter = *jitter
	model.DelayConfig.MethodDelay = parseMethodDelays(*methodDelay)
	simulator.SessionIdleTimeout = *idle

	var err error
	if *load != "" {
		err = model.Load(*load)
	} else {
		err = model.Create()
	}
	if err != nil {
		log.Fatalf("vcsim: building the inventory: %v", err)
	}

	for _, name := range splitNames(*disconnect) {
		host := findEntity("HostSystem", name).(*simulator.HostSystem)
		simulator.Map.WithLock(host, func() {
			host.Runtime.ConnectionState = types.HostSystemConnectionStateDisconnected
			host.Summary.Runtime = &host.Runtime
		})
	}
	for _, name := range splitNames(*inaccessible) {
		ds := findEntity("Datastore", name).(*simulator.Datastore)
		simulator.Map.WithLock(ds, func() {
			ds.Summary.Accessible = false
		})
	}

	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*user, *pass)}
	if *useTLS {
		cert, pemBytes := selfSigned(*listen)
		model.Service.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		if *certOut != "" {
			if err := os.WriteFile(*certOut, pemBytes, 0o644); err != nil {
				log.Fatalf("vcsim: writing certificate: %v", err)
			}
		}
	}
	server := model.Service.NewServer()

	u := *server.URL
	u.User = nil
	ready, _ := json.Marshal(map[string]string{"url": u.String(), "cert": *certOut})
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, append(ready, '\n'), 0o644); err != nil {
			log.Fatalf("vcsim: writing url file: %v", err)
		}
	}
	os.Stdout.Write(append(ready, '\n'))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	if *stdinExit {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop <- syscall.SIGTERM
		}()
	}
	<-stop
	server.Close()
	model.Remove()
}

func splitNames(spec string) []string {
	var out []string
	for _, name := range strings.Split(spec, ",") {
		if name = strings.TrimSpace(name); name != "" {
			out = append(out, name)
		}
	}
	return out
}

func findEntity(kind, name string) mo.Entity {
	for _, entity := range simulator.Map.All(kind) {
		if entity.Entity().Name == name {
			return entity
		}
	}
	log.Fatalf("vcsim: no %s named %q", kind, name)
	return nil
}

func parseMethodDelays(spec string) map[string]int {
	out := map[string]int{}
	for _, item := range strings.Split(spec, ",") {
		name, ms, ok := strings.Cut(strings.TrimSpace(item), ":")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(ms)
		if err != nil {
			log.Fatalf("vcsim: bad -method-delay item %q", item)
		}
		out[name] = n
	}
	return out
}

// selfSigned makes a certificate valid for the listen address, so that a client given the
// certificate as its CA file verifies it, and a client without it fails verification.
func selfSigned(listen string) (tls.Certificate, []byte) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	tmpl := x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: host, Organization: []string{"vcsim"}},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else {
		tmpl.DNSNames = []string{host}
	}
	der, err := x509.CreateCertificate(rand.Reader, &tmpl, &tmpl, &key.PublicKey, key)
	if err != nil {
		log.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		log.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		log.Fatal(err)
	}
	return cert, certPEM
}
