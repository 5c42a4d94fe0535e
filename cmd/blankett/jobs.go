package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

func runJobs(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New("usage: blankett jobs failed | blankett jobs retry ID")
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	client := a.pipeline.River()
	switch args[0] {
	case "failed":
		res, err := client.JobList(ctx, river.NewJobListParams().
			States(rivertype.JobStateDiscarded, rivertype.JobStateCancelled).First(1000))
		if err != nil {
			return fmt.Errorf("list failed jobs: %w", err)
		}
		tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tSTATE\tATTEMPTS\tFINALIZED\tLAST ERROR")
		for _, j := range res.Jobs {
			last := ""
			if n := len(j.Errors); n > 0 {
				last = strings.ReplaceAll(j.Errors[n-1].Error, "\n", " ")
			}
			fin := ""
			if j.FinalizedAt != nil {
				fin = j.FinalizedAt.Format("2006-01-02 15:04:05")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", j.ID, j.Kind, j.State, j.Attempt, fin, last)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		fmt.Printf("%d failed jobs\n", len(res.Jobs))
		return nil
	case "retry":
		if len(args) != 2 {
			return errors.New("usage: blankett jobs retry ID")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("job id %q: %w", args[1], err)
		}
		j, err := client.JobRetry(ctx, id)
		if err != nil {
			return fmt.Errorf("retry job %d: %w", id, err)
		}
		fmt.Printf("job %d (%s) is %s again\n", j.ID, j.Kind, j.State)
		return nil
	}
	return fmt.Errorf("unknown jobs command %q: want failed or retry", args[0])
}
