/* CPython embedded: init once, preload and freeze in the server; run one snippet per child. */
#define PY_SSIZE_T_CLEAN
#include <python3.11/Python.h> /* Debian 12's interpreter, linked statically */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confine.h"
#include "interpreter.h"

/* Trusted Python, run once in the server. It defines `run`, which each child calls on its
 * snippet, and `read_paths`, the files a confined child needs to read. */
static const char vs_bootstrap[] =
    "import builtins, gc, os, random, sys, tempfile, threading, traceback, types\n"
    "tempfile.tempdir = _scratch\n"
    "_failed = []\n"
    "for _name in filter(None, (n.strip() for n in _preload.split(','))):\n"
    "    try:\n"
    "        __import__(_name)\n"
    "    except BaseException as e:\n"
    "        _failed.append(f'{_name}: {type(e).__name__}: {e}')\n"
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
    "    return sorted(paths)\n"
    "def _print_exception(e):\n"
    "    tb = e.__traceback__.tb_next if e.__traceback__ is not None else None\n"
    "    traceback.print_exception(type(e), e, tb, file=sys.__stderr__)\n"
    "def run(source):\n"
    "    status = _COMPLETED\n"
    "    try:\n"
    "        code = compile(source, '<snippet>', 'exec')\n"
    "    except (SyntaxError, ValueError) as e:\n"
    "        traceback.print_exception(type(e), e, None, file=sys.__stderr__)\n"
    "        status = _SYNTAX_ERROR\n"
    "    except MemoryError:\n"
    "        status = _MEMORY_ERROR\n"
    "    except BaseException:\n"
    "        traceback.print_exc(file=sys.__stderr__)\n"
    "        status = _EXCEPTION\n"
    "    else:\n"
    "        try:\n"
    "            exec(code, _main.__dict__)\n"
    "        except SystemExit as e:\n"
    "            if e.code is not None and e.code != 0:\n"
    "                print(f'SystemExit: {e.code}', file=sys.__stderr__)\n"
    "                status = _EXCEPTION\n"
    "        except MemoryError as e:\n"
    "            try:\n"
    "                _print_exception(e)\n"
    "            except BaseException:\n"
    "                pass\n"
    "            status = _MEMORY_ERROR\n"
    "        except BaseException as e:\n"
    "            try:\n"
    "                _print_exception(e)\n"
    "            except BaseException:\n"
    "                print('Exception: (the traceback could not be printed)', file=sys.__stderr__)\n"
    "            status = _EXCEPTION\n"
    /* Non-daemon threads are waited for (the wall clock bounds them), and the exit hooks of
     * concurrent.futures run, as a script's would; with neither there is nothing to do. */
    "    if threading.active_count() > 1 or threading._threading_atexits:\n"
    "        try:\n"
    "            threading._shutdown()\n"
    "        except BaseException:\n"
    "            pass\n"
    "    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):\n"
    "        try:\n"
    "            stream.flush()\n"
    "        except BaseException:\n"
    "            pass\n"
    "    return status\n";

static PyObject *vs_run;        /* the bootstrap's run() */
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
    for (size_t i = 0; i < n; i++) {
        const char *p = PyUnicode_AsUTF8(PyList_GetItem(list, (Py_ssize_t)i));
        if (p) vs_paths[vs_path_count++] = strdup(p);
    }
    for (size_t i = 0; i < n_extra; i++) vs_paths[vs_path_count++] = vs_extra_read_paths[i];
    Py_DECREF(list);
    return 0;
}

int vs_interpreter_init(const char *preload, const char *scratch_dir, char *error, size_t error_len) {
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
    /* Debian's interpreter, so that sys.prefix is /usr whatever this executable's path is. */
    st = PyConfig_SetString(&config, &config.program_name, L"/usr/bin/python3");
    if (!PyStatus_Exception(st)) st = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(st)) {
        snprintf(error, error_len, "Py_InitializeFromConfig: %s", st.err_msg ? st.err_msg : "failed");
        return -1;
    }
    PyObject *globals = PyDict_New();
    PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins());
    PyObject *s = PyUnicode_FromString(scratch_dir), *p = PyUnicode_FromString(preload);
    PyDict_SetItemString(globals, "_scratch", s);
    PyDict_SetItemString(globals, "_preload", p);
    Py_XDECREF(s);
    Py_XDECREF(p);
    static const struct { const char *name; long value; } codes[] = {
        {"_COMPLETED", VS_EXIT_COMPLETED}, {"_EXCEPTION", VS_EXIT_EXCEPTION},
        {"_SYNTAX_ERROR", VS_EXIT_SYNTAX_ERROR}, {"_MEMORY_ERROR", VS_EXIT_MEMORY_ERROR},
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        PyObject *v = PyLong_FromLong(codes[i].value);
        PyDict_SetItemString(globals, codes[i].name, v);
        Py_XDECREF(v);
    }
    PyObject *result = PyRun_String(vs_bootstrap, Py_file_input, globals, globals);
    if (!result) {
        set_error(error, error_len, "preloading");
        return -1;
    }
    Py_DECREF(result);
    vs_run = PyDict_GetItemString(globals, "run");
    Py_XINCREF(vs_run);
    if (!vs_run) {
        snprintf(error, error_len, "the bootstrap defined no run()");
        return -1;
    }
    return collect_read_paths(globals, error, error_len);
}

const char *const *vs_interpreter_read_paths(size_t *count) {
    *count = vs_path_count;
    return vs_paths;
}

int vs_interpreter_run(const char *source, size_t length) {
    PyObject *text = PyUnicode_DecodeUTF8(source, (Py_ssize_t)length, "replace");
    PyObject *status = text ? PyObject_CallOneArg(vs_run, text) : NULL;
    long code = status ? PyLong_AsLong(status) : VS_EXIT_EXCEPTION;
    if (PyErr_Occurred()) {
        /* Not PyErr_Print: on SystemExit it would finalise the interpreter. */
        PyErr_Clear();
        code = VS_EXIT_EXCEPTION;
    }
    return (int)code;
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
    PyThreadState_Get()->native_thread_id = (unsigned long)syscall(SYS_gettid);
}
