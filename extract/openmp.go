package extract

// Tesseract runs single-threaded here: a worker reads one zone at a time
// per client, and more workers, not more threads, use more cores (with
// OpenMP threads a page is several times slower on a small machine).
// Debian's Tesseract is built with OpenMP all the same, and its LSTM
// network enters OpenMP parallel regions as it reads a line. libgomp runs
// each as a team of one, whose barriers still make futex system calls:
// strace counted about 600 per zone read (5 with the functions below). On
// a virtual machine, where a system call is dear, that was a seventh of
// the time Tesseract took.
//
// The functions below take the place of libgomp's entry points that
// Tesseract calls (the executable's symbols come first when the dynamic
// linker resolves a shared library's): a parallel region, or a set of
// parallel sections, runs in the calling thread, as a team of one would
// run it, without the team. Outside a team libgomp's omp_get_num_threads
// and omp_get_thread_num answer 1 and 0, so each region's loop covers its
// whole range. The readings are the same, word for word and confidence for
// confidence; only the cost differs (TestOpenMPInline checks that
// Tesseract's regions come here). Were Tesseract built without OpenMP,
// nothing would call them.

/*
static __thread unsigned sections_next, sections_count;

// regions counts the parallel regions run here.
static unsigned long long regions;

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags) {
	(void)num_threads;
	(void)flags;
	__atomic_add_fetch(&regions, 1, __ATOMIC_RELAXED);
	fn(data);
}

void GOMP_parallel_sections(void (*fn)(void *), void *data, unsigned num_threads, unsigned count, unsigned flags) {
	unsigned next = sections_next, n = sections_count;
	(void)num_threads;
	(void)flags;
	sections_next = 1;
	sections_count = count;
	fn(data);
	sections_next = next;
	sections_count = n;
}

unsigned GOMP_sections_next(void) {
	if (sections_next <= sections_count) {
		return sections_next++;
	}
	return 0;
}

void GOMP_sections_end_nowait(void) {}

unsigned long long omp_regions(void) { return __atomic_load_n(&regions, __ATOMIC_RELAXED); }
*/
import "C"

// openMPRegions is the number of OpenMP parallel regions run inline.
func openMPRegions() uint64 { return uint64(C.omp_regions()) }
