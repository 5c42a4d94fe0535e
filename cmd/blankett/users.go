package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strings"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// runUsers manages the review web app's accounts:
//
//	blankett users add --role admin|reviewer|mailroom NAME
//	blankett users password NAME
//
// The password is read from standard input (one line) or, on a terminal,
// prompted for twice without echo. It is never taken from the command line.
func runUsers(ctx context.Context, logger *slog.Logger, args []string) error {
	const usage = "usage: blankett users add --role admin|reviewer|mailroom NAME | blankett users password NAME"
	if len(args) == 0 || (args[0] != "add" && args[0] != "password") {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("users "+args[0], flag.ContinueOnError)
	role := fs.String("role", "reviewer", "admin, reviewer or mailroom (add)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New(usage)
	}
	name := fs.Arg(0)
	if args[0] == "add" && !form.AccountRole(*role).Valid() {
		return fmt.Errorf("unknown role %q: use admin, reviewer or mailroom", *role)
	}
	password, err := readPassword(os.Stdin, os.Stderr)
	if err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := storage.Migrate(ctx, db, logger); err != nil {
		return err
	}
	if args[0] == "password" {
		err = pipeline.SetPassword(ctx, db, name, password, "cli")
	} else {
		_, err = pipeline.CreateAccount(ctx, db, name, form.AccountRole(*role), password, "cli")
	}
	if errors.Is(err, pipeline.ErrWeakPassword) {
		return fmt.Errorf("the password needs at least %d characters", pipeline.MinPasswordLength)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return fmt.Errorf("no account named %q", name)
	}
	if err != nil {
		return err
	}
	logger.Info("account "+map[string]string{"add": "created", "password": "given a new password"}[args[0]], "account", name)
	return nil
}

// readPassword prompts twice (echo off) on a terminal, else reads one
// line from standard input.
func readPassword(in *os.File, prompt io.Writer) (string, error) {
	st, err := in.Stat()
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	r := bufio.NewReader(in)
	if st.Mode()&os.ModeCharDevice == 0 {
		line, err := r.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	echo := func(on bool) {
		arg := "-echo"
		if on {
			arg = "echo"
		}
		cmd := exec.Command("stty", arg)
		cmd.Stdin = in
		_ = cmd.Run()
	}
	echo(false)
	defer echo(true)
	var answers [2]string
	for i, p := range []string{"Lösenord: ", "Lösenordet igen: "} {
		fmt.Fprint(prompt, p)
		line, err := r.ReadString('\n')
		fmt.Fprintln(prompt)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read password: %w", err)
		}
		answers[i] = strings.TrimRight(line, "\r\n")
	}
	if answers[0] != answers[1] {
		return "", errors.New("the passwords differ")
	}
	return answers[0], nil
}
