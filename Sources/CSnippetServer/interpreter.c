/* CPython embedded: init once, preload and freeze in the server; run one snippet per child. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "interpreter.h"

/* Trusted Python, run once in the server. It defines `read_paths`, the files a confined child
 * needs to read; the snippet itself is run from C (vs_interpreter_run), with no Python frame of
 * ours for it to find. */
static const char vs_bootstrap[] =
    "import builtins, gc, os, random, sys, tempfile, threading, traceback, types\n"
    "tempfile.tempdir = _scratch\n"
    "_failed = []\n"
    "for _name in filter(None, (n.strip() for n in _preload.split(','))):\n"
    "    try:\n"
    "        __import__(_name)\n"
    "    except BaseException as e:\n"
    "        _failed.append(f'{_name}: {type(e).__name__}: {e}')\n"
    /* The heavier tiers' modules, which their own templates import only once a snippet needs
     * them: found (not imported) now, so that a missing one stops the run before its first
     * snippet instead of failing every snippet of its tier. */
    "for _name in filter(None, (n.strip() for n in _others.split(','))):\n"
    "    import importlib.util\n"
    "    _top = _name.split('.')[0]\n"
    "    if importlib.util.find_spec(_top) is None:\n"
    "        _failed.append(f\"{_name}: ModuleNotFoundError: No module named '{_top}'\")\n"
    "if _failed:\n"
    "    raise ImportError('cannot preload ' + '; '.join(_failed))\n"
    /* Lazy imports and caches filled here are shared copy-on-write by every child instead of
     * being recomputed by each one. */
    "def _warm():\n"
    "    sp = sys.modules.get('sympy')\n"
    "    if sp is not None:\n"
    "        x, y = sp.symbols('x y')\n"
    "        sp.simplify((x**2 - 1) / (x - 1)); sp.solve(x**2 - 4, x); sp.factor(x**2 - y**2)\n"
    "        sp.integrate(x * sp.sin(x), x); sp.integrate(x**2, (x, 0, 1)); sp.diff(sp.exp(x) * x, x)\n"
    "        sp.expand((x + 1)**3); sp.limit(sp.sin(x) / x, x, 0); sp.series(sp.exp(x), x, 0, 4)\n"
    "        sp.Matrix([[1, 2], [3, 4]]).inv(); sp.Matrix([[1, 2], [3, 4]]).det(); sp.nsimplify(0.5)\n"
    "        sp.N(sp.pi, 15); sp.latex(x**2 / 2); str(sp.Rational(1, 3) + sp.sqrt(2)); sp.solveset(x - 1, x)\n"
    "        sp.binomial(10, 3); sp.factorial(10); sp.isprime(97); sp.gcd(12, 18); sp.summation(x, (x, 1, 10))\n"
    /* Integration is where a fresh child loses most to a reused worker: sympy's cache of the
     * sub-problems earlier integrals solved (derivatives, pattern matches, assumptions). These
     * textbook integrals cost 1.3 s of CPU once per server and halve the time of unseen
     * integrals in every child (40 integrands not among them: 133 -> 69 ms each; a worker that
     * keeps its cache across snippets, 58 ms). */
    "        for f in (x * sp.sin(x), x**2 * sp.cos(x), x**3 * sp.sin(2 * x), x * sp.exp(x), x**2 * sp.exp(-x),\n"
    "                  sp.exp(x) * sp.sin(x), sp.exp(2 * x) * sp.cos(3 * x), sp.log(x)):\n"
    "            sp.integrate(f, x)\n"
    "        for f, lo, hi in ((x**3 + 2 * x, 0, 2), (sp.sin(x), 0, sp.pi), (sp.exp(-x), 0, sp.oo), (1 / x, 1, sp.E)):\n"
    "            sp.integrate(f, (x, lo, hi))\n"
    "    np = sys.modules.get('numpy')\n"
    "    if np is not None:\n"
    "        a = np.array([[1.0, 2.0], [3.0, 4.0]])\n"
    "        np.linalg.inv(a); np.linalg.det(a); np.linalg.eig(a); np.linalg.solve(a, np.ones(2))\n"
    "        repr(a); str(np.arange(3)); a.mean(); np.std(a)\n"
    "_warm()\n"
    /* The first compile() in a process readies the AST types (about 2 ms), and the first
     * traceback imports and fills linecache: pay both here, once. */
    "compile('x = 1', '<warm>', 'exec')\n"
    "try:\n"
    "    1 / 0\n"
    "except ZeroDivisionError as e:\n"
    "    traceback.format_exception(type(e), e, e.__traceback__)\n"
    "sys.stdout.flush(); sys.stderr.flush()\n"
    /* What every snippet starts from, made once here: each child gets its own copy-on-write
     * copy, as fresh as one made in the child and without the pages that making it writes. */
    "_main = types.ModuleType('__main__')\n"
    "_main.__builtins__ = builtins\n"
    "sys.modules['__main__'] = _main\n"
    "sys.argv[:] = ['<snippet>']\n"
    "random.seed(0)\n"
    /* The cost of converting a huge integer is bounded by the CPU limit; Python's own guard
     * (4,300 digits) only when asked for. Set here, every child starts from it. */
    "if hasattr(sys, 'set_int_max_str_digits'):\n"
    "    sys.set_int_max_str_digits(_int_max_str_digits)\n"
    "if 'numpy' in sys.modules:\n"
    "    sys.modules['numpy'].random.seed(0)\n"
    "gc.collect()\n"
    "gc.freeze()\n"
    "def read_paths():\n"
    "    paths = {p for p in sys.path if p and os.path.isdir(p)}\n"
    "    paths.add(os.path.dirname(os.__file__))\n"
    "    for mod in list(sys.modules.values()):\n"
    "        f = getattr(mod, '__file__', None)\n"
    "        if f and '/site-packages/' not in f and '/dist-packages/' not in f:\n"
    "            paths.add(os.path.dirname(f))\n"
    "    return sorted(paths)\n";

/* What the runner uses in each child, taken in the server before any snippet could rebind
 * them: __main__'s dict, builtins.compile, traceback.print_exception, atexit._run_exitfuncs,
 * the original standard streams and threading._shutdown as it was (to tell a patched one). */
static PyObject *vs_main_globals, *vs_compile, *vs_print_exception, *vs_run_exitfuncs;
static PyObject *vs_stdout, *vs_stderr, *vs_threading_shutdown;
static const char **vs_paths;   /* read_paths() and the fixed extras, NULL-terminated */
static size_t vs_path_count;

/* Files outside sys.path that ordinary code reads: the loader's cache and system libraries for
 * lazily loaded extensions, time zones, the CPU lists (os.cpu_count, sysconf; view.c). */
static const char *const vs_extra_read_paths[] = {
    "/etc/ld.so.cache", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
    "/usr/share/zoneinfo", "/etc/localtime", "/sys/devices/system/cpu/online",
    "/sys/devices/system/cpu/possible", "/sys/devices/system/cpu/present",
};

static void set_error(char *error, size_t len, const char *what) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyObject *text = value ? PyObject_Str(value) : NULL;
    const char *detail = text ? PyUnicode_AsUTF8(text) : NULL;
    snprintf(error, len, "%s: %s", what, detail ? detail : "unknown error");
    Py_XDECREF(text);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    PyErr_Clear();
}

static int collect_read_paths(PyObject *globals, char *error, size_t error_len) {
    PyObject *fn = PyDict_GetItemString(globals, "read_paths");
    PyObject *list = fn ? PyObject_CallNoArgs(fn) : NULL;
    if (!list || !PyList_Check(list)) {
        Py_XDECREF(list);
        set_error(error, error_len, "listing the interpreter's paths");
        return -1;
    }
    size_t n_extra = sizeof vs_extra_read_paths / sizeof vs_extra_read_paths[0];
    size_t n = (size_t)PyList_Size(list);
    vs_paths = calloc(n + n_extra + 1, sizeof *vs_paths);
    if (!vs_paths) {
        Py_DECREF(list);
        snprintf(error, error_len, "listing the interpreter's paths: out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const char *p = PyUnicode_AsUTF8(PyList_GetItem(list, (Py_ssize_t)i));
        char *copy = p ? strdup(p) : NULL;
        if (p && !copy) {
            Py_DECREF(list);
            snprintf(error, error_len, "listing the interpreter's paths: out of memory");
            return -1;
        }
        if (copy) vs_paths[vs_path_count++] = copy;
        else PyErr_Clear();
    }
    for (size_t i = 0; i < n_extra; i++) vs_paths[vs_path_count++] = vs_extra_read_paths[i];
    Py_DECREF(list);
    return 0;
}

/* Takes the runner's references (see vs_main_globals) from the bootstrap's globals. */
static int take_runner_references(PyObject *globals, char *error, size_t error_len) {
    static const struct { PyObject **slot; const char *expression; } refs[] = {
        {&vs_main_globals, "_main.__dict__"},
        {&vs_compile, "builtins.compile"},
        {&vs_print_exception, "traceback.print_exception"},
        {&vs_run_exitfuncs, "__import__('atexit')._run_exitfuncs"},
        {&vs_stdout, "sys.__stdout__"},
        {&vs_stderr, "sys.__stderr__"},
        {&vs_threading_shutdown, "threading._shutdown"},
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        *refs[i].slot = PyRun_String(refs[i].expression, Py_eval_input, globals, globals);
        if (!*refs[i].slot) {
            set_error(error, error_len, refs[i].expression);
            return -1;
        }
    }
    return 0;
}


/* The user's package folders go first on sys.path, each as a site directory (its .pth files
 * read), so that a virtual environment's networkx or pandas is the one imported. */
static const char vs_package_path[] =
    "import site, sys\n"
    "_installed = list(sys.path)\n"
    "for _folder in _packages:\n"
    "    site.addsitedir(_folder)\n"
    "sys.path[:] = [p for p in sys.path if p not in _installed] + _installed\n";

static int add_package_folders(const struct vs_interpreter_setup *setup, char *error, size_t error_len) {
    if (setup->package_count == 0) return 0;
    PyObject *globals = PyDict_New(), *list = PyList_New(0);
    int rc = globals && list ? 0 : -1;
    for (size_t k = 0; rc == 0 && k < setup->package_count; k++) {
        PyObject *folder = PyUnicode_DecodeFSDefault(setup->packages[k]);
        rc = folder ? PyList_Append(list, folder) : -1;
        Py_XDECREF(folder);
    }
    if (rc == 0) rc = PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    if (rc == 0) rc = PyDict_SetItemString(globals, "_packages", list);
    PyObject *result = rc == 0 ? PyRun_String(vs_package_path, Py_file_input, globals, globals) : NULL;
    if (!result) set_error(error, error_len, "adding the package folders");
    Py_XDECREF(result);
    Py_XDECREF(list);
    Py_XDECREF(globals);
    return result ? 0 : -1;
}

int vs_interpreter_init(const struct vs_interpreter_setup *setup, char *error, size_t error_len) {
    const char *preload = setup->preload, *scratch_dir = setup->scratch_dir;
    long int_max_str_digits = setup->int_max_str_digits;
    PyPreConfig pre;
    PyPreConfig_InitIsolatedConfig(&pre);
    pre.utf8_mode = 1; /* the isolated config would otherwise print ASCII only */
    PyStatus st = Py_PreInitialize(&pre);
    if (PyStatus_Exception(st)) {
        snprintf(error, error_len, "Py_PreInitialize: %s", st.err_msg ? st.err_msg : "failed");
        return -1;
    }
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    /* SIGPIPE and SIGXFSZ ignored, as in a normal python3: a child then gets EPIPE/EFBIG errors
     * instead of dying silently. */
    config.install_signal_handlers = 1;
    config.site_import = 1; /* exit()/quit() and Debian's dist-packages */
    config.use_hash_seed = 1;
    config.hash_seed = 0; /* same input, same set order, same output */
    config.write_bytecode = 0;
    config.parse_argv = 0;
    /* The installation's own program, so that sys.prefix is its prefix whatever this
     * executable's path is. */
    st = PyConfig_SetBytesString(&config, &config.program_name, setup->program);
    if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st)) {
        snprintf(error, error_len, "Py_InitializeFromConfig: %s", st.err_msg ? st.err_msg : "failed");
        return -1;
    }
    if (add_package_folders(setup, error, error_len) != 0) return -1;
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *s = PyUnicode_FromString(scratch_dir), *p = PyUnicode_FromString(preload);
    PyDict_SetItemString(globals, "_scratch", s);
    PyDict_SetItemString(globals, "_preload", p);
    Py_XDECREF(s);
    Py_XDECREF(p);
    PyObject *others = PyUnicode_FromString(setup->others ? setup->others : "");
    PyDict_SetItemString(globals, "_others", others);
    Py_XDECREF(others);
    PyObject *digits = PyLong_FromLong(int_max_str_digits);
    PyDict_SetItemString(globals, "_int_max_str_digits", digits);
    Py_XDECREF(digits);
    PyObject *result = PyRun_String(vs_bootstrap, Py_file_input, globals, globals);
    if (!result) {
        set_error(error, error_len, "preloading");
        return -1;
    }
    Py_DECREF(result);
    if (take_runner_references(globals, error, error_len) != 0) return -1;
    return collect_read_paths(globals, error, error_len);
}

int vs_interpreter_set_scratch(const char *path) {
    PyObject *globals = PyDict_New(), *folder = PyUnicode_DecodeFSDefault(path);
    int rc = globals && folder && PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) == 0 &&
                     PyDict_SetItemString(globals, "_scratch", folder) == 0
                 ? 0
                 : -1;
    PyObject *result = rc == 0 ? PyRun_String("import os, tempfile\n"
                                              "os.environ['HOME'] = os.environ['TMPDIR'] = tempfile.tempdir = _scratch\n",
                                              Py_file_input, globals, globals)
                               : NULL;
    if (!result) PyErr_Clear();
    Py_XDECREF(result);
    Py_XDECREF(folder);
    Py_XDECREF(globals);
    return result ? 0 : -1;
}

const char *const *vs_interpreter_read_paths(size_t *count) {
    *count = vs_path_count;
    return vs_paths;
}

/* Last resort when printing the exception itself failed: its type's name, from C. */
static void write_unprintable(PyObject *type) {
    char line[256];
    const char *name = PyType_Check(type) ? ((PyTypeObject *)type)->tp_name : "Exception";
    int n = snprintf(line, sizeof line, "%s: (the traceback could not be printed)\n", name);
    (void)!write(STDERR_FILENO, line, n > 0 && (size_t)n < sizeof line ? (size_t)n : 0);
}

/* traceback.print_exception(type, value, tb, file=sys.__stderr__): the stream the snippet
 * started with, so that replacing sys.stderr cannot hide the exception's type. */
static void print_exception(PyObject *type, PyObject *value, PyObject *tb) {
    PyObject *args = PyTuple_Pack(3, type, value ? value : Py_None, tb ? tb : Py_None);
    PyObject *kwargs = Py_BuildValue("{sO}", "file", vs_stderr);
    PyObject *printed = args && kwargs ? PyObject_Call(vs_print_exception, args, kwargs) : NULL;
    Py_XDECREF(args);
    Py_XDECREF(kwargs);
    if (printed) {
        Py_DECREF(printed);
        return;
    }
    PyErr_Clear();
    write_unprintable(type);
}

/* SystemExit(None), SystemExit(0) (and False) end a run as completed, as in python3; any other
 * code is an exception. Read in C, so that no __eq__ of the snippet's decides it. */
static bool clean_exit(PyObject *value) {
    PyObject *code = ((PySystemExitObject *)value)->code;
    if (code == NULL || code == Py_None) return true;
    if (!PyLong_Check(code)) return false;
    int overflow = 0;
    long n = PyLong_AsLongAndOverflow(code, &overflow);
    if (n == -1 && PyErr_Occurred()) PyErr_Clear();
    return n == 0 && overflow == 0;
}

static void print_system_exit(PyObject *value) {
    PyObject *code = ((PySystemExitObject *)value)->code;
    PyObject *text = code ? PyObject_Str(code) : NULL;
    const char *detail = text ? PyUnicode_AsUTF8(text) : NULL;
    if (!detail) PyErr_Clear();
    PyObject *line = PyUnicode_FromFormat("SystemExit: %s\n", detail ? detail : "(unprintable)");
    PyObject *written = line ? PyObject_CallMethod(vs_stderr, "write", "O", line) : NULL;
    if (!written) PyErr_Clear();
    Py_XDECREF(written);
    Py_XDECREF(line);
    Py_XDECREF(text);
}

/* The snippet's code raised (the exception is pending): decide the verdict from C and report it
 * to the server (confine.h, VS_REPORT_VERDICT) before any more of the snippet's code can run,
 * then print the exception, which may run it again (its __str__). */
static enum vs_child_exit snippet_raised(void) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    bool system_exit = PyErr_GivenExceptionMatches(type, PyExc_SystemExit) && value != NULL;
    enum vs_child_exit verdict = system_exit && clean_exit(value)                   ? VS_EXIT_COMPLETED
                                 : PyErr_GivenExceptionMatches(type, PyExc_MemoryError) ? VS_EXIT_MEMORY_ERROR
                                                                                      : VS_EXIT_EXCEPTION;
    if (verdict != VS_EXIT_COMPLETED) vs_report(VS_REPORT_VERDICT, verdict);
    if (system_exit) {
        if (verdict != VS_EXIT_COMPLETED) print_system_exit(value);
    } else {
        print_exception(type, value, tb);
    }
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return verdict;
}

/* The source did not compile: nothing of the snippet has run. No traceback, only the error. */
static enum vs_child_exit compile_failed(void) {
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    enum vs_child_exit verdict =
        PyErr_GivenExceptionMatches(type, PyExc_SyntaxError) || PyErr_GivenExceptionMatches(type, PyExc_ValueError)
            ? VS_EXIT_SYNTAX_ERROR
        : PyErr_GivenExceptionMatches(type, PyExc_MemoryError) ? VS_EXIT_MEMORY_ERROR
                                                               : VS_EXIT_EXCEPTION;
    vs_report(VS_REPORT_VERDICT, verdict);
    if (verdict != VS_EXIT_MEMORY_ERROR) print_exception(type, value, NULL);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return verdict;
}

static void flush(PyObject *stream) {
    PyObject *result = stream && stream != Py_None ? PyObject_CallMethod(stream, "flush", NULL) : NULL;
    Py_XDECREF(result);
    PyErr_Clear();
}

/* Whether threading._shutdown has anything to do: another thread, a threading atexit hook, or a
 * snippet's own _shutdown. Calling it for nothing costs 0.2 ms of a 1.5 ms print(2 + 3) (it
 * writes to pages the child then copies). */
static bool shutdown_needed(PyObject *threading, PyObject *shutdown) {
    PyThreadState *me = PyThreadState_Get();
    if (PyThreadState_Next(PyInterpreterState_ThreadHead(PyThreadState_GetInterpreter(me))) != NULL) return true;
    if (shutdown != vs_threading_shutdown) return true;
    PyObject *hooks = PyObject_GetAttrString(threading, "_threading_atexits");
    bool pending = hooks == NULL || !PyList_Check(hooks) || PyList_GET_SIZE(hooks) > 0;
    Py_XDECREF(hooks);
    PyErr_Clear();
    return pending;
}

/* What python3 does after a script, in Py_FinalizeEx's order: wait for the non-daemon threads
 * (threading._shutdown, looked up now as python3 does, so a patched one is what is called), run
 * the atexit callbacks (the interpreter's own machinery prints an exception in one, and the exit
 * status stays), flush the streams. The child's wall-clock and CPU limits bound it all. The rest
 * of finalisation (module teardown, __del__ of what is left) is not run. */
static void run_exit_sequence(void) {
    PyObject *name = PyUnicode_FromString("threading");
    PyObject *threading = name ? PyImport_GetModule(name) : NULL;
    Py_XDECREF(name);
    PyObject *shutdown = threading ? PyObject_GetAttrString(threading, "_shutdown") : NULL;
    PyErr_Clear();
    if (shutdown && shutdown_needed(threading, shutdown)) {
        PyObject *done = PyObject_CallNoArgs(shutdown);
        if (!done) PyErr_WriteUnraisable(threading);
        Py_XDECREF(done);
    }
    Py_XDECREF(shutdown);
    Py_XDECREF(threading);
    PyErr_Clear();
    PyObject *done = PyObject_CallNoArgs(vs_run_exitfuncs);
    if (!done) PyErr_WriteUnraisable(vs_run_exitfuncs);
    Py_XDECREF(done);
    PyErr_Clear();
    flush(PySys_GetObject("stdout"));
    flush(PySys_GetObject("stderr"));
    flush(vs_stdout);
    flush(vs_stderr);
}

/* compile(text, '<snippet>', 'exec') as the builtin makes it (the same flags and optimisation
 * level; no future flags to inherit, there is no Python frame), without its argument parsing:
 * 5 of the 106 pages a print(2 + 3) child's compile copies on write. A source with a NUL byte,
 * which the C call would cut short, goes to the builtin, which raises this version's error. */
static PyObject *compile_snippet(PyObject *text) {
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(text, &size);
    if (!utf8) return NULL;
    if (strlen(utf8) != (size_t)size) return PyObject_CallFunction(vs_compile, "Oss", text, "<snippet>", "exec");
    PyObject *filename = PyUnicode_FromString("<snippet>");
    PyCompilerFlags flags = {.cf_flags = PyCF_SOURCE_IS_UTF8, .cf_feature_version = PY_MINOR_VERSION};
    PyObject *code = filename ? Py_CompileStringObject(utf8, filename, Py_file_input, &flags, -1) : NULL;
    Py_XDECREF(filename);
    return code;
}

int vs_interpreter_run(const char *source, size_t length) {
    enum vs_child_exit verdict = VS_EXIT_COMPLETED;
    PyObject *text = PyUnicode_DecodeUTF8(source, (Py_ssize_t)length, "replace");
    PyObject *code = text ? compile_snippet(text) : NULL;
    Py_XDECREF(text);
    if (!code) {
        verdict = compile_failed();
    } else {
        PyObject *result = PyEval_EvalCode(code, vs_main_globals, vs_main_globals);
        Py_DECREF(code);
        if (result) Py_DECREF(result);
        else verdict = snippet_raised();
    }
    run_exit_sequence();
    return (int)verdict;
}

/* CPython's fork protocol (PyOS_BeforeFork, PyOS_AfterFork_*) is for a process with other
 * threads: the child re-creates every lock another thread might have held at the fork, and the
 * at-fork hooks modules registered run (random reseeds from the OS, threading marks the other
 * threads dead, logging and concurrent.futures renew their locks). In the child of a server
 * with one thread there is no such lock and no other thread, random was seeded in the server
 * just before its heap was frozen, and the hooks cost 0.6 ms of a 1.7 ms print(2 + 3), copying 115 pages on write to do nothing:
 * so with one thread (counted once, after init; nothing runs in the server afterwards that
 * could start one) they are skipped. */
static bool vs_one_thread;

void vs_interpreter_count_threads(int status_fd) {
    char status[8192];
    ssize_t n = status_fd >= 0 ? pread(status_fd, status, sizeof status - 1, 0) : -1;
    if (status_fd >= 0) close(status_fd);
    if (n <= 0) return; /* unknown: keep the full protocol */
    status[n] = '\0';
    const char *line = strstr(status, "\nThreads:");
    vs_one_thread = line != NULL && strtol(line + strlen("\nThreads:"), NULL, 10) == 1;
}

void vs_interpreter_before_fork(void) {
    if (!vs_one_thread) {
        PyOS_BeforeFork();
        return;
    }
    /* The flag of a signal the server caught (a SIGINT from the terminal) would otherwise be
     * inherited by every child, which would raise KeyboardInterrupt: handle it here instead. */
    if (PyErr_CheckSignals() != 0) PyErr_Clear();
}

void vs_interpreter_after_fork_parent(void) {
    if (!vs_one_thread) PyOS_AfterFork_Parent();
}

void vs_interpreter_after_fork_child(void) {
    if (!vs_one_thread) {
        PyOS_AfterFork_Child();
        return;
    }
#if PY_VERSION_HEX >= 0x030B0000
    /* What PyOS_AfterFork_Child would have set (3.11+ keep the thread's kernel id here). */
    PyThreadState_Get()->native_thread_id = (unsigned long)syscall(SYS_gettid);
#endif
}
