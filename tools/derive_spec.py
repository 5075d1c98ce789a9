#!/usr/bin/env python3
"""Derive the machine-readable API description (spec/*.json) from the seed documents.

Usage:
    python3 tools/derive_spec.py            # write spec/vpc-2016-04-28.json and spec/ecs-2014-05-26.json
    python3 tools/derive_spec.py --check    # exit 1 if the files on disk differ from what would be written
    python3 tools/derive_spec.py --seeds DIR

Only facts are extracted (names, types, required flags, documented valid values / ranges / defaults,
response nesting, HTTP status + error code + wire message). Prose (descriptions, example values) is never
copied. Hand-written corrections live in spec/patches/<product>-<version>.json (see spec/FORMAT.md).
A summary and a list of suspicious items are printed to stderr.
"""

import argparse
import copy
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SEEDS = os.path.normpath(os.path.join(REPO, '..', 'shared', 'seeds'))

VPC_SEED = '004_2686bac6e47731d8.txt'
RIS_SEED = '000_4a5aa71563a5c2ad.txt'      # ModifyRouterInterfaceSpec (English)
ECS_NET_SEED = '002_d439449d2a78baa5.txt'  # ECS ModifyInstanceNetworkSpec
ECS_SPEC_SEED = '003_5ae43e7abb47f864.txt'  # ECS ModifyInstanceSpec

COMMON_PARAMS = {'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod',
                 'SignatureVersion', 'SignatureNonce', 'Timestamp'}

WARNINGS = []


def warn(msg):
    WARNINGS.append(msg)


# ---------------------------------------------------------------------------------------------
# generic helpers

def collapse(s):
    """Collapse whitespace runs (the dump marks real word breaks with spaces)."""
    return re.sub(r'\s+', ' ', s).strip()


def join_raw(lines):
    """Concatenate dump fragments keeping their own leading/trailing spaces, then collapse."""
    return collapse(''.join(lines))


TYPE_MAP = {
    'string': 'String', 'String': 'String', 'JSON String': 'String', 'JSONString': 'String',
    'Json': 'String', 'JSON': 'String',
    'Integer': 'Integer', 'Int': 'Integer', 'integer': 'Integer',
    'Long': 'Long', 'long': 'Long',
    'Boolean': 'Boolean', 'boolean': 'Boolean', 'Bool': 'Boolean',
    'Float': 'Float', 'Double': 'Float', 'float': 'Float',
    'List': 'List', 'Array': 'List', 'RepeatList': 'List', 'Object': 'Object', 'Struct': 'Object', 'Map': 'Object',
}
TYPE_WORDS = r'(?:JSON\s*String|RepeatList|String|string|Integer|Long|Boolean|Float|Double|Array|List|Object|Struct)'

# a parameter / field name after the fragments are joined: Foo, Foo.N, Foo.N.Bar, Foo.N.Bar.M
NAME_RE = re.compile(r'^(?:[A-Z][A-Za-z0-9]*(?:\.(?:[NnMm]|[1-9]|[A-Z][A-Za-z0-9]*))*'
                     r'|[a-z]+[A-Z][A-Za-z0-9]*)$')  # the second form: documented typos (routeId)
# one fragment of a split name (as it appears on its own line)
FRAG_RE = re.compile(r'^(?:[A-Za-z0-9]+\.?|\.?[A-Za-z0-9]+|(?:[A-Za-z0-9]*(?: ?\. ?[A-Za-z0-9]*)+))$')


def is_fragment(line):
    s = line.strip()
    if not s or len(s.replace(' ', '')) > 13:
        return False
    if ' ' in s and not re.fullmatch(r'[A-Za-z0-9]*(?: ?\. ?[A-Za-z0-9]*)+', s):
        return False
    return bool(FRAG_RE.match(s))


def join_name(frags):
    return ''.join(f.replace(' ', '') for f in frags).replace('└', '')


# ---------------------------------------------------------------------------------------------
# the PDF dump (004)

PAGE_JUNK = [
    re.compile(r'^\s*Virtual Private Cloud API reference /'),
    re.compile(r'^\s*https://(?:error-center\.ali(?:yun|babacloud)\.com|api\.aliyun\.com)/\S*\s*$'),
]
ISSUE_RE = re.compile(r'\s*(?:\d+ )?Issue: 20190918(?: \d+)?\s*$')


def clean_line(t):
    if 'Issue: 20190918' in t:
        t = ISSUE_RE.sub('', t)
    for rx in PAGE_JUNK:
        if rx.match(t):
            return ''
    if not t.strip():
        return ''
    return t


HEADER_WORDS = {'Parameter', 'Type', 'Required', 'Required?', '?', 'Example', 'value', 'Description',
                'HTTP', 'status', 'code', 'Error', 'message', 'Name', 'Example value', 'HttpCode'}


def strip_table_headers(lines):
    """Blank out repeated table headers ('Parameter Type Required ? Example value Description',
    'HTTP status code / Error code Error message Description'). lines: list of str; returns new list."""
    out = list(lines)
    i = 0
    n = len(out)
    while i < n:
        s = out[i].strip()
        if s.startswith('Parameter Type') or s in ('HTTP', 'HTTP status', 'HTTP status code') \
                or s.startswith('HttpCode') or s.startswith('Name Type Required') \
                or s.startswith('Error code Error message'):
            j = i
            ok = False
            while j < n and j < i + 10:
                t = out[j].strip()
                if t and not set(t.split()) <= HEADER_WORDS:
                    break
                if t.endswith('Description'):
                    ok = True
                    break
                j += 1
            if ok:
                for k in range(i, j + 1):
                    out[k] = ''
                i = j + 1
                continue
        i += 1
    return out


def load_vpc_seed(seeds):
    path = os.path.join(seeds, VPC_SEED)
    with open(path, encoding='utf-8') as f:
        raw = f.read().split('\n')
    return raw


def load_index(seeds):
    idx = []
    with open(os.path.join(seeds, 'ACTIONS.md'), encoding='utf-8') as f:
        for line in f:
            m = re.match(r'^\|\s*(\d+\.\d+)\s*\|\s*([A-Za-z]+)\s*\|\s*(\d+)\s*\|', line)
            if m:
                idx.append((m.group(1), m.group(2), int(m.group(3))))
    return idx


def find_regions(body):
    """body: list of (lineno, text). Returns dict of index boundaries into body."""
    def find(pred, start=0, end=None, last=False):
        end = len(body) if end is None else end
        hit = None
        for k in range(start, end):
            if pred(body[k][1].strip()):
                if not last:
                    return k
                hit = k
        return hit

    req = find(lambda s: s == 'Request parameters')
    resp = None
    if req is not None:
        resp = find(lambda s: s == 'Response parameters', req + 1)
        if resp is None:  # some sections title the response table 'Request parameters' again
            resp = find(lambda s: s == 'Request parameters', req + 1)
    ex = find(lambda s: s in ('Examples', 'Request example'), (resp or req or 0) + 1)
    js = find(lambda s: re.fullmatch(r'(?:•\s*)?JSON\s+format', s) is not None, (ex or 0) + 1)
    err = find(lambda s: s in ('Errors', 'Error codes'), (js or ex or 0) + 1, last=True)
    return {'req': req, 'resp': resp, 'ex': ex, 'json': js, 'err': err, 'end': len(body)}


# ---------------------------------------------------------------------------------------------
# request parameter tables

ANCHOR_INLINE = re.compile(r'^(?P<pre>.*?)(?P<type>' + TYPE_WORDS + r')\s*(?P<req>Yes|No)\b(?P<rest>.*)$')
ANCHOR_EOL = re.compile(r'^(?P<pre>.*?)(?P<type>' + TYPE_WORDS + r')\s*$')
REQ_START = re.compile(r'^\s*(?P<req>Yes|No)\b(?P<rest>.*)$')


def valid_pre(pre):
    """Text before the type word on an anchor line must be empty or a name (possibly glued)."""
    p = pre.strip()
    if not p:
        return True
    return NAME_RE.match(join_name([p])) is not None or re.fullmatch(r'[a-z][A-Za-z0-9]*', p) is not None


def find_anchors(lines):
    """Return list of anchors: dict(line=i, end=j, type, req, pre, rest) where rows of a request table
    start. lines: list of str (cleaned, headers blanked)."""
    anchors = []
    n = len(lines)
    i = 0
    while i < n:
        s = lines[i]
        m = ANCHOR_INLINE.match(s.strip())
        if m and valid_pre(m.group('pre')):
            anchors.append(dict(line=i, end=i, type=m.group('type'), req=m.group('req'),
                                pre=m.group('pre'), rest=m.group('rest')))
            i += 1
            continue
        m = ANCHOR_EOL.match(s.strip())
        if m and valid_pre(m.group('pre')):
            typ = m.group('type')
            j = i + 1
            while j < n and not lines[j].strip():
                j += 1
            # 'IkeConfig JSON' / 'String' / 'No ...'
            if j < n and lines[j].strip() == 'String' and s.strip().endswith('JSON'):
                typ = 'JSON String'
                j += 1
                while j < n and not lines[j].strip():
                    j += 1
            if j < n:
                m2 = REQ_START.match(lines[j])
                if m2:
                    anchors.append(dict(line=i, end=j, type=typ, req=m2.group('req'),
                                        pre=m.group('pre'), rest=m2.group('rest')))
                    i = j + 1
                    continue
        # 'IkeConfig JSON' + 'String' + 'No'
        if s.strip().endswith(' JSON') or s.strip() == 'JSON':
            j = i + 1
            if j < n and lines[j].strip() == 'String':
                k = j + 1
                while k < n and not lines[k].strip():
                    k += 1
                m2 = REQ_START.match(lines[k]) if k < n else None
                pre = s.strip()[:-4]
                if m2 and valid_pre(pre):
                    anchors.append(dict(line=i, end=k, type='JSON String', req=m2.group('req'),
                                        pre=pre, rest=m2.group('rest')))
                    i = k + 1
                    continue
        i += 1
    return anchors


def name_before(lines, i, stop):
    """Collect the fragments of a split name ending just above line i (skipping blank lines),
    not going above line `stop`. Returns (name, first_line_index) or (None, i)."""
    j = i - 1
    while j > stop and not lines[j].strip():
        j -= 1
    frags = []
    while j > stop and lines[j].strip() and is_fragment(lines[j]) and len(frags) < 6:
        frags.insert(0, lines[j].strip())
        j -= 1
    # longest suffix that forms a valid name
    for k in range(len(frags)):
        nm = join_name(frags[k:])
        if NAME_RE.match(nm):
            return nm, j + 1 + k
    return None, i


def parse_param_rows(lines):
    """lines: cleaned request-table lines. Returns list of rows dict(name, type, required, desc, line)."""
    anchors = find_anchors(lines)
    rows = []
    prev_end = -1
    starts = []
    for a in anchors:
        pre = a['pre'].strip()
        if pre:
            name = join_name([pre])
            first = a['line']
            if not NAME_RE.match(name):
                # a name whose last fragment sits on the anchor line: 'ResourceGr' / 'oupId String No'
                nm, f = name_before(lines, a['line'], prev_end)
                if nm is not None and NAME_RE.match(nm + name):
                    name, first = nm + name, f
            # glued fragments right above ('Tag . N .' / 'Key String No')
            elif a['line'] - 1 > prev_end and lines[a['line'] - 1].strip() and \
                    is_fragment(lines[a['line'] - 1]) and lines[a['line'] - 1].strip().endswith('.'):
                nm, f = name_before(lines, a['line'], prev_end)
                if nm is not None and NAME_RE.match(nm + name):
                    name, first = nm + name, f
        else:
            name, first = name_before(lines, a['line'], prev_end)
        starts.append(first)
        rows.append(dict(name=name, type=a['type'], required=(a['req'] == 'Yes'), anchor=a))
        prev_end = a['end']
    for k, r in enumerate(rows):
        a = r.pop('anchor')
        stop = starts[k + 1] if k + 1 < len(rows) else len(lines)
        desc_lines = [a['rest']] + lines[a['end'] + 1:stop]
        r['desc'] = desc_lines
        r['line_index'] = a['line']
    return rows


def norm_type(t):
    t = collapse(t)
    return TYPE_MAP.get(t, TYPE_MAP.get(t.replace(' ', ''), 'String'))


# --- facts from descriptions ------------------------------------------------------------------

def desc_text(desc_lines):
    return collapse(' '.join(desc_lines))


def conv_value(v, typ):
    v = v.strip().rstrip('.,;)').strip()
    if typ in ('Integer', 'Long'):
        if re.fullmatch(r'-?\d+', v):
            return int(v)
        return None
    if typ == 'Float':
        if re.fullmatch(r'-?\d+(?:\.\d+)?', v):
            return float(v) if '.' in v else int(v)
        return None
    if typ == 'Boolean':
        if v.lower() in ('true', 'false'):
            return v.lower() == 'true'
        return None
    if re.fullmatch(r'[A-Za-z0-9][A-Za-z0-9._:/-]*', v):
        return v
    return None


def bullets(desc_lines):
    """Bulleted items of a description: list of raw item texts (continuation lines joined)."""
    items = []
    cur = None
    for ln in desc_lines:
        s = ln.strip()
        if s.startswith('•'):
            if cur is not None:
                items.append(cur)
            cur = s[1:]
        elif cur is not None:
            if not s:
                continue
            cur += ' ' + s if ln.startswith(' ') or cur.endswith(' ') else s
    if cur is not None:
        items.append(cur)
    return [collapse(x) for x in items]


def extract_facts(row):
    """enum / default / min / max from the description. Conservative: only clear patterns."""
    typ = row['ptype']
    text = desc_text(row['desc'])
    facts = {}
    # default
    m = re.search(r'\b[Dd]efault(?: value)?\s*(?:is|:)\s*([^\s,;]+(?: \.)?)', text)
    if m:
        v = conv_value(m.group(1).replace(' .', ''), typ)
        if v is not None and typ == 'String' and not re.search(r'[A-Z0-9]', v):
            v = None  # 'the ID of ...', 'account ID of ...': prose, not a value
        if v is not None:
            facts['default'] = v
    # maximum
    m = re.search(r'\b[Mm]aximum value(?: is|:)\s*(\d+)\b', text)
    if m and typ in ('Integer', 'Long'):
        facts['max'] = int(m.group(1))
    m = re.search(r'\b[Mm]inimum value(?: is|:)\s*(\d+)\b', text)
    if m and typ in ('Integer', 'Long'):
        facts['min'] = int(m.group(1))
    conditional = re.search(r'(?:^|[\s•])If\b', text) is not None
    if len(re.findall(r'\b[Dd]efault value', text)) > 1:
        facts.pop('default', None)
    if typ in ('Integer', 'Long') and 'max' not in facts and 'min' not in facts and not conditional:
        rng = set()
        num = r'(\d{1,3}(?:,\d{3})+(?!\d)|\d+)'
        for m in re.finditer(r'(?:[Vv]alue range|[Vv]alid values?|[Vv]alid range)\s*(?:is|are|:)?\s*(?:from\s+)?'
                             r'(?:' + num + r'\s*(?:to|-|~)\s*' + num + r'(?!\s*[|,]\s*\d)|\[\s*(\d+)\s*,\s*(\d+)\s*\])', text):
            rng.add((m.group(1) or m.group(3), m.group(2) or m.group(4)))
        if not rng:
            for m in re.finditer(r'\[\s*(\d+)\s*,\s*(\d+)\s*\]', text):
                rng.add((m.group(1), m.group(2)))
        if len(rng) == 1:
            lo, hi = rng.pop()
            lo, hi = int(lo.replace(',', '')), int(hi.replace(',', ''))
            if lo <= hi:
                facts['min'], facts['max'] = lo, hi
    # enum from bullets after 'Valid value(s)'
    if typ in ('String', 'Integer') and re.search(r'[Vv]alid values?\s*:', text):
        items = bullets(row['desc'])
        vals = []
        dflt = None
        ok = bool(items)
        for it in items:
            mm = re.match(r'^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\((?:[Dd]efault(?: value)?)\))?\s*(?::|$)', it)
            if not mm:
                ok = False
                break
            vals.append(mm.group(1))
            if mm.group(2):
                dflt = mm.group(1)
        if ok and len(vals) >= 2 and len(set(vals)) == len(vals):
            if typ == 'Integer':
                if all(re.fullmatch(r'-?\d+', v) for v in vals):
                    facts['enum'] = [int(v) for v in vals]
            else:
                facts['enum'] = vals
            if dflt is not None and 'enum' in facts:
                facts['default'] = int(dflt) if typ == 'Integer' else dflt
    if 'enum' in facts and 'default' in facts and facts['default'] not in facts['enum']:
        del facts['default']
    elif typ == 'Boolean':
        for it in bullets(row['desc']):
            mm = re.match(r'^(true|false)\s*\((?:[Dd]efault(?: value)?)\)', it)
            if mm:
                facts['default'] = mm.group(1) == 'true'
    return facts


def max_items_of(text, letter='N'):
    m = re.search(r'[Rr]ange of ' + letter + r'\s*(?:is|:)\s*1\s*(?:-|to|~)\s*(\d+)', text, re.I if letter in 'Nn' else 0)
    if m:
        return int(m.group(1))
    return None


def build_params(rows, action, where):
    """Turn table rows (Name, Name.N, Name.N.Field, Name.N.Field.M) into spec params."""
    params = []
    by_name = {}
    for r in rows:
        name = r['name']
        if name is None:
            warn('%s: request row at %s without a readable name' % (action, where))
            continue
        r['ptype'] = norm_type(r['type'])
        parts = name.split('.')
        base = parts[0]
        if base in COMMON_PARAMS and len(parts) == 1:
            continue
        text = desc_text(r['desc'])
        if len(parts) == 1:
            p = {'name': name, 'type': r['ptype'], 'required': r['required']}
            p.update(extract_facts(r))
            if name in by_name:
                warn('%s: duplicate request param %s' % (action, name))
                continue
            by_name[name] = p
            params.append(p)
            continue
        # list parameters
        if parts[1] not in ('N', 'n') and not parts[1].isdigit():
            warn('%s: unexpected dotted param name %s' % (action, name))
            continue
        lst = by_name.get(base)
        if lst is None:
            lst = {'name': base, 'type': 'List', 'required': False, 'shape': 'repeat'}
            by_name[base] = lst
            params.append(lst)
        mi = max_items_of(text)
        if parts[1].isdigit():  # documented with explicit indexes (Filter.1.Key, Filter.2.Key)
            mi = max(int(parts[1]), lst.get('max_items', 0))
        if mi is not None:
            lst['max_items'] = mi
        if len(parts) == 2:
            lst['item_type'] = 'String' if r['ptype'] == 'List' else r['ptype']
            lst['required'] = lst['required'] or r['required']
            continue
        fname = parts[2]
        fld = {'name': fname, 'type': r['ptype'], 'required': r['required']}
        if len(parts) == 4 and parts[3] in ('N', 'n', 'M', 'm'):
            fld = {'name': fname, 'type': 'List', 'required': r['required'], 'shape': 'repeat',
                   'item_type': 'String' if r['ptype'] == 'List' else r['ptype']}
            mi2 = max_items_of(text, 'm') if parts[3] in ('M', 'm') else None
            if mi2 is not None:
                fld['max_items'] = mi2
        elif len(parts) != 3:
            warn('%s: unexpected dotted param name %s' % (action, name))
            continue
        else:
            fld.update(extract_facts(r))
        fields = lst.setdefault('fields', [])
        if any(f['name'] == fname for f in fields):
            if not parts[1].isdigit():
                warn('%s: duplicate list field %s' % (action, name))
            continue
        fields.append(fld)
    return params


# ---------------------------------------------------------------------------------------------
# response: JSON sample + table

def json_text(lines):
    txt = ''.join(lines)
    txt = re.sub(r'\s+', '', txt)
    return txt


def repair_json(txt):
    """Small, general repairs of damaged samples. Returns parsed object or None."""
    cands = [txt]
    t = txt
    t = re.sub(r'^\{\{', '{', t)
    if not t.startswith('{') and t.startswith('"'):
        t = '{' + t
    # balance brackets
    stack = []
    instr = False
    esc = False
    for ch in t:
        if instr:
            if esc:
                esc = False
            elif ch == '\\':
                esc = True
            elif ch == '"':
                instr = False
            continue
        if ch == '"':
            instr = True
        elif ch in '{[':
            stack.append(ch)
        elif ch in '}]':
            if stack:
                stack.pop()
    t2 = t + ''.join('}' if c == '{' else ']' for c in reversed(stack))
    cands += [t, t2]
    for c in cands:
        try:
            return json.loads(c)
        except ValueError:
            pass
    return None


def json_scalar_type(v):
    if isinstance(v, bool):
        return 'Boolean'
    if isinstance(v, int):
        return 'Integer'
    if isinstance(v, float):
        return 'Float'
    return 'String'


def merge_items(a, b):
    """Merge two JSON-derived type descriptions (for arrays with several sample items)."""
    if a is None:
        return b
    if b is None:
        return a
    if a['type'] == 'Object' and b['type'] == 'Object':
        fa = a['fields']
        names = {f['name']: f for f in fa}
        for f in b['fields']:
            if f['name'] in names:
                g = names[f['name']]
                merged = merge_field(g, f)
                fa[fa.index(g)] = merged
                names[f['name']] = merged
            else:
                fa.append(f)
                names[f['name']] = f
        return a
    if a.get('_empty'):
        return b
    return a


def merge_field(a, b):
    if a['type'] == 'Array' and b['type'] == 'Array':
        it = merge_items(a.get('items'), b.get('items'))
        r = dict(a)
        r['items'] = it
        return r
    if a['type'] == 'Object' and b['type'] == 'Object':
        return merge_items(a, b)
    return a


def describe_json(v):
    """JSON value -> type description (without name)."""
    if isinstance(v, dict):
        return {'type': 'Object', 'fields': [dict(name=k, **describe_json(x)) for k, x in v.items()]}
    if isinstance(v, list):
        it = None
        for x in v:
            it = merge_items(it, describe_json(x))
        if it is None:
            it = {'type': 'String', '_empty': True}
        return {'type': 'Array', 'items': it}
    return {'type': json_scalar_type(v)}


RESP_TYPE = re.compile(r'^(?P<type>' + TYPE_WORDS + r'|N//?A)(?:\s|$)')
CONTAINER_RE = re.compile(r'^(?P<name>[A-Za-z][A-Za-z0-9]*)\s+(?:A list|An array|The list|The details|Details|'
                          r'The association information|Configurations?|IPsec|Cloud resources)\b')
STOPWORDS = {'The', 'A', 'An', 'This', 'You', 'Valid', 'Default', 'Note', 'If', 'It', 'For', 'Only', 'When'}


def parse_response_table(lines):
    """Rows of a response table: list of dict(name, type|None, child(bool), order).
    The table marks one level of nesting with '└'."""
    rows = []
    n = len(lines)
    i = 0
    while i < n:
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        child = s.startswith('└')
        if child:
            s = s[1:].strip()
            frags = []
            rest = ''
            if s:
                parts = s.split(None, 1)
                frags.append(parts[0])
                rest = parts[1] if len(parts) > 1 else ''
            j = i + 1
            if not rest:
                while j < n and lines[j].strip() and is_fragment(lines[j]) \
                        and not RESP_TYPE.match(lines[j].strip()) and len(frags) < 5:
                    frags.append(lines[j].strip())
                    j += 1
                # last fragment followed by the description on the same line: 'IpsecConfi' / 'g The ...'
                # ('Associated' / 'Cens The ...': a full-width fragment may be followed by a capital)
                m = re.match(r'^([A-Za-z][A-Za-z0-9]*)\s+(?=[A-Z])(.*)$', lines[j].strip()) if j < n else None
                if m and m.group(1)[0].isupper() and (not frags or len(frags[-1]) < 9):
                    m = None
                if m and frags and NAME_RE.match(join_name(frags + [m.group(1)])):
                    frags.append(m.group(1))
                    rest = m.group(2)
                    j += 1
                if not rest:
                    k = j
                    while k < n and not lines[k].strip():
                        k += 1
                    rest = lines[k].strip() if k < n else ''
            name = join_name(frags)
            m = RESP_TYPE.match(rest)
            typ = m.group('type') if m else None
            if name and NAME_RE.match(name):
                rows.append(dict(name=name, type=typ, child=True, line_index=i))
            i = j if j > i + 1 else i + 1
            continue
        # top level container without a type: 'Regions A list of regions.' /
        # 'RouterTabl' + 'eList A list of route tables.'
        m = CONTAINER_RE.match(s)
        if m and NAME_RE.match(m.group('name')) and m.group('name') not in STOPWORDS:
            rows.append(dict(name=m.group('name'), type=None, child=False, line_index=i))
            i += 1
            continue
        if is_fragment(lines[i]) and i + 1 < n:
            m = CONTAINER_RE.match(lines[i + 1].strip())
            if m and NAME_RE.match(join_name([s, m.group('name')])) and s[0].isupper():
                rows.append(dict(name=join_name([s, m.group('name')]), type=None, child=False, line_index=i))
                i += 2
                continue
        # top level row on one line: 'TotalCount Integer 1 The ...' / 'PageNumberInteger 1 ...'
        m = re.match(r'^(?P<name>[A-Z][A-Za-z0-9]*?)\s*(?P<type>' + TYPE_WORDS + r'|N//?A)(?:\s|$)', s)
        if m and NAME_RE.match(m.group('name')) and (i == 0 or not lines[i - 1].strip()
                                                      or _row_boundary(lines, i)):
            rows.append(dict(name=m.group('name'), type=m.group('type'), child=False, line_index=i))
            i += 1
            continue
        # split top level name: fragments, blank, 'Type ...'
        if is_fragment(lines[i]) and (i == 0 or not lines[i - 1].strip() or _row_boundary(lines, i)):
            frags = []
            j = i
            while j < n and lines[j].strip() and is_fragment(lines[j]) and len(frags) < 5:
                frags.append(lines[j].strip())
                j += 1
            k = j
            while k < n and not lines[k].strip():
                k += 1
            nm = join_name(frags)
            if k < n and RESP_TYPE.match(lines[k].strip()) and NAME_RE.match(nm) and len(frags) >= 2:
                rows.append(dict(name=nm, type=RESP_TYPE.match(lines[k].strip()).group('type'),
                                 child=False, line_index=i))
                i = k + 1
                continue
        i += 1
    return rows


def _row_boundary(lines, i):
    """True when the previous line closes a description (so a new row may start at line i)."""
    p = lines[i - 1].strip()
    return p.endswith('.') or p.endswith(')') or RESP_TYPE.match(p) is not None


# ---------------------------------------------------------------------------------------------
# error tables

STATUS_RE = re.compile(r'^\s*(?P<status>[1-5]\d\d)\s+(?P<rest>\S.*)$')
ERROR_STATUSES = {400, 401, 403, 404, 405, 408, 409, 410, 412, 415, 424, 429, 500, 502, 503, 504}
TRAILERS = re.compile(r'^(For a list of error codes|See (?:the )?common error|View (?:the )?(?:common )?error codes|'
                      r'Error codes specific|For more error codes)', re.I)
DESC_START = re.compile(r'\s+(?=(?:The|This|You|Your|A|An|It|Vswitches|Vswitch|VSwitches|Only|No|'
                        r'There|Too|Insufficient|Check|Make|Unable|Failed|Either|One|Both|Some|Specify|'
                        r'Cannot|To|If|Multiple|All|Each)\b)')


def split_message_line(line):
    """A single-line message followed, on the same line, by the description: cut where the
    description starts. Returns (message_part, description_part)."""
    s = line
    # 1. after a full stop followed by a capitalised word
    for m in re.finditer(r'\.\s+(?=[A-Z])', s):
        return s[:m.start() + 1], s[m.end():]
    # 2. before a typical description opening word (not at the very start)
    for m in DESC_START.finditer(s):
        if m.start() > 0:
            return s[:m.start()], s[m.end():]
    return s, ''


def parse_error_rows(lines, action):
    """lines: cleaned error-table lines (headers blanked). Returns list of dict(status, code, message)."""
    # find row starts
    starts = []
    for i, ln in enumerate(lines):
        m = STATUS_RE.match(ln)
        if m and int(m.group('status')) in ERROR_STATUSES and re.match(r'[A-Za-z]', m.group('rest')):
            starts.append(i)
    rows = []
    for k, st in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        seg = lines[st:end]
        # drop trailers
        for t, ln in enumerate(seg):
            if TRAILERS.match(ln.strip()):
                seg = seg[:t]
                break
        m = STATUS_RE.match(seg[0])
        status = int(m.group('status'))
        first_rest = m.group('rest')
        toks = first_rest.split(None, 1)
        code_frags = [toks[0]]
        i = 1
        msg_first = None
        if len(toks) > 1 and toks[1].strip():
            # single-line code: the message starts on the status line
            msg_first = first_rest[len(first_rest) - len(first_rest.lstrip()):]
            msg_first = first_rest.split(None, 1)[1]
            # keep the original spacing after the code
            idx = seg[0].find(toks[0]) + len(toks[0])
            msg_first = seg[0][idx:].lstrip()
        else:
            while i < len(seg) and seg[i].strip():
                code_frags.append(seg[i].strip())
                i += 1
            # a blank line inside the code cell: 'InvalidPar' / '' / 'ameter.Spec' / '.ValueNotSu' ...
            while True:
                j = i
                while j < len(seg) and not seg[j].strip():
                    j += 1
                if j >= len(seg) or ' ' in seg[j].strip():
                    break
                nxt = seg[j].strip()
                if not (code_frags[-1].endswith('.') or nxt[0].islower() or nxt[0] == '.'):
                    break
                i = j
                while i < len(seg) and seg[i].strip() and ' ' not in seg[i].strip():
                    code_frags.append(seg[i].strip())
                    i += 1
        code = ''.join(f.replace(' ', '') for f in code_frags)
        # blocks of the rest
        blocks = []
        cur = []
        if msg_first is not None:
            cur = [msg_first]
        for ln in seg[i:]:
            if ln.strip():
                cur.append(ln)
            elif cur:
                blocks.append(cur)
                cur = []
        if cur:
            blocks.append(cur)
        if not blocks:
            message = ''
        elif len(blocks) >= 2:
            message = join_raw(blocks[0])
        else:
            # a one-line message followed by the description on the same line (and the lines below);
            # no cut in the first line: the whole block is the message (no description column)
            b = blocks[0]
            msg, rest = split_message_line(b[0])
            message = collapse(msg) if rest.strip() else join_raw(b)
        rows.append({'status': status, 'code': code, 'message': message, '_blocks': len(blocks)})
    return rows


# ---------------------------------------------------------------------------------------------
# 004: one action

def parse_action(raw, sec, name, line, next_line):
    body = [(k + 1, clean_line(raw[k])) for k in range(line, next_line - 1)]
    reg = find_regions(body)
    act = {'name': name, 'section': sec, 'source': {'seed': '004', 'line': line},
           'params': [], 'response': [], 'errors': []}
    texts = [t for _, t in body]
    # request
    if reg['req'] is not None and reg['resp'] is not None:
        req_lines = strip_table_headers(texts[reg['req'] + 1:reg['resp']])
        rows = parse_param_rows(req_lines)
        act['params'] = build_params(rows, name, body[reg['req']][0])
    else:
        warn('%s: no request table found' % name)
    # response
    table_rows = []
    if reg['resp'] is not None and reg['ex'] is not None:
        resp_lines = strip_table_headers(texts[reg['resp'] + 1:reg['ex']])
        table_rows = parse_response_table(resp_lines)
    sample = None
    if reg['json'] is not None:
        jend = reg['err'] if reg['err'] is not None and reg['err'] > reg['json'] else reg['end']
        jl = texts[reg['json'] + 1:jend]
        # stop at trailers that may follow a sample without an error section
        sample = repair_json(json_text(jl))
        if sample is None or not isinstance(sample, dict):
            warn('%s: JSON sample not parseable; using the response table' % name)
            sample = None
    act['response'] = build_response(sample, table_rows, name)
    # errors
    if reg['err'] is not None:
        err_lines = strip_table_headers(texts[reg['err'] + 1:reg['end']])
        rows = parse_error_rows(err_lines, name)
        act['errors'] = rows
    return act


def table_type(t):
    if t is None or t in ('N/A', 'N//A'):
        return None
    return {'String': 'String', 'string': 'String', 'Integer': 'Integer', 'Long': 'Long',
            'Boolean': 'Boolean', 'Float': 'Float', 'Double': 'Float', 'Array': 'Array',
            'List': 'Array', 'Object': 'Object', 'Struct': 'Object'}.get(collapse(t), 'String')


def walk_fields(fields, path=()):
    """Yield (field, parent_fields_list, path) for every named field in a response tree."""
    for f in fields:
        yield f, fields, path
        if f['type'] == 'Object':
            yield from walk_fields(f['fields'], path + (f['name'],))
        elif f['type'] == 'Array' and f['items']['type'] == 'Object':
            yield from walk_fields(f['items']['fields'], path + (f['name'],))


def singular(name):
    if name.endswith('ies'):
        return name[:-3] + 'y'
    if name.endswith('s') and not name.endswith('ss'):
        return name[:-1]
    return name + 'Item'


def table_container(name, kids):
    """A container documented only in the table. Plural names follow the SDK wrapper convention
    ("Tags": {"Tag": [{...}]}); others are plain objects."""
    if name.endswith('s') and kids is not None:
        rec = {'type': 'Object', 'fields': kids}
        return {'name': name, 'type': 'Object', '_table': True,
                'fields': [{'name': singular(name), 'type': 'Array', 'items': rec}]}
    return {'name': name, 'type': 'Object', 'fields': kids, '_table': True}


def fix_xmlish(fields):
    """In samples converted from XML a one-element list shows up as an object (or a string):
    'Xs': {'X': {...}} -> 'Xs': {'X': [{...}]} (the SDK wrapper convention)."""
    for f in fields:
        if f['type'] == 'Object':
            kids = f['fields']
            if len(kids) == 1 and kids[0]['type'] in ('Object', 'String') and (
                    f['name'] in (kids[0]['name'] + 's', kids[0]['name'] + 'es', kids[0]['name'][:-1] + 'ies')
                    or (f['name'].endswith('Set') and kids[0]['name'] == f['name'][:-3] + 'Type')):
                c = kids[0]
                item = {'type': 'Object', 'fields': c['fields']} if c['type'] == 'Object' else {'type': 'String'}
                kids[0] = {'name': c['name'], 'type': 'Array', 'items': item}
            fix_xmlish(kids)
        elif f['type'] == 'Array' and f['items']['type'] == 'Object':
            fix_xmlish(f['items']['fields'])
    for f in fields:
        if f['type'] == 'Array' and f['items']['type'] == 'Object':
            fix_xmlish(f['items']['fields'])


TABLE_ONLY = []


def container_records(g):
    """Where the rows documented under a container live: through wrapper objects and arrays of
    objects; an empty list or object of the sample becomes a list of objects / an object to fill."""
    cur = g
    while True:
        if cur['type'] == 'Object':
            if len(cur['fields']) == 1 and cur['fields'][0]['type'] in ('Object', 'Array'):
                cur = cur['fields'][0]
                continue
            return cur['fields']
        if cur['type'] == 'Array':
            it = cur['items']
            if it.get('_empty'):
                cur['items'] = {'type': 'Object', 'fields': []}
                return cur['items']['fields']
            if it['type'] == 'Object':
                return it['fields']
            return None
        return None


def json_leaves(v):
    if isinstance(v, dict):
        for x in v.values():
            yield from json_leaves(x)
    elif isinstance(v, list):
        for x in v:
            yield from json_leaves(x)
    else:
        yield v


def build_response(sample, table_rows, action):
    """JSON sample first; the table refines numeric types and adds fields the sample lacks.
    Table-only fields are placed next to the table row above them (the table's own nesting marks
    only one level); table-only containers take the table-only rows that follow them."""
    xmlish = False
    if sample is not None and len(sample) == 1:
        (k, v), = sample.items()
        if k.endswith('Response') and isinstance(v, dict):
            # a sample converted from the XML one: '{"XxxResponse": {...}}', every value a string,
            # single list items as objects
            sample, xmlish = v, True
            if k != action + 'Response':
                warn('%s: JSON sample is the response of %s; using the response table' % (action, k[:-8]))
                sample = None
    if sample is not None and not xmlish:
        leaves = list(json_leaves(sample))
        # every value a string and numbers among them ('"PageNumber": "1"'): converted from XML too
        xmlish = bool(leaves) and all(isinstance(v, str) for v in leaves) and \
            any(re.fullmatch(r'\d+', v) for v in leaves)
    fields = describe_json(sample)['fields'] if sample is not None else []
    if xmlish:
        fix_xmlish(fields)
    uses_tree = any(r['child'] for r in table_rows)
    index = {}
    lower = {}
    for g, lst, path in walk_fields(fields):
        index.setdefault(g['name'], (g, lst))
        lower.setdefault(g['name'].lower(), (g, lst))
    for r in table_rows:
        # the sample and the table spell a field differently only in case ('IP' / 'Ip',
        # 'CLientIpPool' / 'ClientIpPool'): the table's spelling is the API's
        if r['name'] not in index and r['name'].lower() in lower:
            g, lst = lower[r['name'].lower()]
            if not any(x['name'] == r['name'] for x in lst):
                warn('%s: response field %s of the JSON sample renamed %s (table spelling)'
                     % (action, g['name'], r['name']))
                index.pop(g['name'], None)
                g['name'] = r['name']
                index[r['name']] = (g, lst)
    cur_list = fields            # where a table-only row following the current one goes
    open_container = None        # (children list, parent list) of the last table-only container
    for r in table_rows:
        tt = table_type(r['type'])
        is_container = r['type'] is None or r['type'] in ('N/A', 'N//A')
        if r['name'] in index:
            g, lst = index[r['name']]
            if tt in ('Long', 'Float') and g['type'] == 'Integer':
                g['type'] = tt
            elif xmlish and tt in ('Integer', 'Long', 'Float', 'Boolean') and g['type'] == 'String':
                g['type'] = tt
            cur_list = lst
            if is_container:
                rec = container_records(g)
                if rec is not None:
                    cur_list = rec
            continue
        # table-only row: next to the row above it; a top-level row of a table that marks nesting
        # with '└' goes to the top level
        target = cur_list if (r['child'] or not uses_tree) else fields
        if is_container:
            if open_container is not None and cur_list is open_container[0]:
                target = open_container[1]   # two table-only containers in a row: siblings
            kids = []
            f = table_container(r['name'], kids)
            target.append(f)
            index[r['name']] = (f, target)
            warn('%s: response container %s only in the table (shape guessed)' % (action, r['name']))
            cur_list = kids
            open_container = (kids, target)
            continue
        f = {'name': r['name'], 'type': tt or 'String', '_table': True}
        target.append(f)
        index[r['name']] = (f, target)
        cur_list = target
        TABLE_ONLY.append('%s: %s' % (action, r['name']))
    return finalize_fields(fields)


def finalize_fields(fields):
    out = []
    for f in fields:
        g = {'name': f['name'], 'type': f['type']}
        if f['type'] == 'Object':
            g['fields'] = finalize_fields(f.get('fields', []))
        elif f['type'] == 'Array':
            it = f.get('items') or {'type': 'String'}
            if it['type'] == 'Object' and not it['fields']:
                it = {'type': 'String'}
            if it['type'] == 'Object':
                g['items'] = {'type': 'Object', 'fields': finalize_fields(it['fields'])}
            elif it['type'] == 'Array':
                g['items'] = finalize_fields([dict(it, name='_')])[0]
                del g['items']['name']
            else:
                g['items'] = {'type': it['type']}
        out.append(g)
    return out


def dedupe_errors(errors):
    seen = set()
    out = []
    for e in errors:
        key = (e['status'], e['code'], e['message'])
        if key in seen:
            continue
        seen.add(key)
        out.append({'status': e['status'], 'code': e['code'], 'message': e['message']})
    return out


# ---------------------------------------------------------------------------------------------
# the cleaner documents (000, 002, 003): one action each, one table row per line

SIMPLE_PARAM = re.compile(r'^(?P<name>[A-Z][A-Za-z0-9.]*)\s+(?P<type>' + TYPE_WORDS + r')\s+(?P<req>Yes|No)\b(?P<rest>.*)$')
SIMPLE_FIELD = re.compile(r'^(?P<name>[A-Z][A-Za-z0-9]*)\s+(?P<type>' + TYPE_WORDS + r')(?:\s|$)')
ECS_DESC_START = re.compile(r'\s+The error message returned because\b')


def section_lines(lines, start_rx, end_rxs):
    """Lines after the first line matching start_rx up to the first line matching one of end_rxs."""
    out = []
    on = False
    for ln in lines:
        s = ln.strip()
        if not on:
            if re.match(start_rx, s):
                on = True
            continue
        if any(re.match(rx, s) for rx in end_rxs):
            break
        out.append(ln)
    return out


def parse_simple_doc(text, name, seed_id, action_line=1):
    lines = text.split('\n')
    act = {'name': name, 'section': '', 'source': {'seed': seed_id, 'line': action_line},
           'params': [], 'response': [], 'errors': []}
    # request parameters
    req = section_lines(lines, r'^Request parameters$', [r'^(Response|Return) parameters$'])
    rows = []
    for ln in req:
        m = SIMPLE_PARAM.match(ln.strip())
        if m:
            rows.append({'name': m.group('name'), 'type': m.group('type'), 'required': m.group('req') == 'Yes',
                         'desc': [m.group('rest')]})
        elif rows:
            rows[-1]['desc'].append(ln)
    act['params'] = build_params(rows, name, seed_id)
    # response: table, then JSON sample (may be a fragment)
    resp = section_lines(lines, r'^(Response|Return) parameters$', [r'^(Examples|Sample requests|Request example)$'])
    trows = []
    for ln in resp:
        m = SIMPLE_FIELD.match(ln.strip())
        if m and m.group('name') not in ('Parameter', 'Name'):
            trows.append({'name': m.group('name'), 'type': m.group('type'), 'child': False})
    js = section_lines(lines, r'^JSON format$', [r'^Error codes$'])
    sample = repair_json(json_text([ln for ln in js if ln.strip()])) if js else None
    if sample is not None and not isinstance(sample, dict):
        sample = None
    act['response'] = build_response(sample, trows, name)
    # errors
    errs = section_lines(lines, r'^Error codes$', [r'^For a list of error codes'])
    rows = []
    for ln in errs:
        s = ln.strip()
        m = re.match(r'^(?P<status>\d{3})\s+(?P<code>\S+)\s+(?P<rest>.*)$', s)
        if m:
            rest = m.group('rest')
            d = ECS_DESC_START.search(' ' + rest)
            msg = (' ' + rest)[:d.start()] if d else rest
            rows.append({'status': int(m.group('status')), 'code': m.group('code'), 'message': collapse(msg)})
            if not d:
                warn('%s: error row without a recognisable description: %s' % (name, s))
            continue
        m = re.match(r'^(?P<code>\S+)\s+(?P<msg>.*?)\s+(?P<status>[1-5]\d\d)\s+(?P<note>.*)$', s)
        if m and not s.startswith('Error code'):
            rows.append({'status': int(m.group('status')), 'code': m.group('code'),
                         'message': collapse(m.group('msg'))})
    act['errors'] = dedupe_errors(rows)
    return act


def merge_simple_into(base, extra):
    """Merge a more specific single-action document into a 004 action (extra wins on conflicts)."""
    by = {p['name']: p for p in base['params']}
    for p in extra['params']:
        if p['name'] in by:
            by[p['name']].update(p)
        else:
            base['params'].append(p)
    rnames = {f['name'] for f in base['response']}
    for f in extra['response']:
        if f['name'] not in rnames:
            base['response'].append(f)
    idx = {(e['code'], e['message']): e for e in base['errors']}
    for e in extra['errors']:
        k = (e['code'], e['message'])
        if k in idx:
            idx[k]['status'] = e['status']
        else:
            base['errors'].append(dict(e))
            idx[k] = base['errors'][-1]


# ---------------------------------------------------------------------------------------------
# patches

def _match_key(kind, entry):
    if kind == 'errors':
        return (entry.get('code'), entry.get('message'))
    return entry.get('name')


def _merge_entry(dst, src, where):
    """Deep merge src into dst (dicts). null deletes a key; lists of named entries merge by name."""
    for k, v in src.items():
        if k.startswith('$'):
            continue
        if v is None:
            dst.pop(k, None)
        elif k == 'fields' and isinstance(v, (list, dict)) and isinstance(dst.get(k), list):
            dst[k] = _merge_list('fields', dst[k], v, where)
        elif isinstance(v, dict) and isinstance(dst.get(k), dict):
            _merge_entry(dst[k], v, where + '.' + k)
        else:
            dst[k] = copy.deepcopy(v)


def _merge_list(kind, dst, patch, where):
    """patch: list of entries, or {"$replace": [...]} to replace the list."""
    if isinstance(patch, dict):
        if '$replace' in patch:
            return copy.deepcopy(patch['$replace'])
        raise ValueError('%s: bad patch for %s' % (where, kind))
    out = list(dst)
    for ent in patch:
        key = _match_key(kind, ent)
        pos = next((i for i, e in enumerate(out) if _match_key(kind, e) == key), None)
        if ent.get('$remove'):
            if pos is None:
                warn('patch %s: nothing to remove for %s %r' % (where, kind, key))
            else:
                out.pop(pos)
            continue
        if pos is None:
            new = {}
            _merge_entry(new, ent, where)
            if '$after' in ent:
                ap = next((i for i, e in enumerate(out) if _match_key(kind, e) == ent['$after']), None)
                out.insert(len(out) if ap is None else ap + 1, new)
            else:
                out.append(new)
        elif ent.get('$replace'):
            new = {}
            _merge_entry(new, ent, where)
            out[pos] = new
        else:
            _merge_entry(out[pos], ent, where + '/' + str(key))
    return out


def apply_patches(actions, patch):
    by = {a['name']: a for a in actions}
    for name, p in patch.items():
        if name.startswith('_'):
            continue
        a = by.get(name)
        if a is None:
            if not p.get('$new'):
                warn('patch: unknown action %s (set "$new": true to add it)' % name)
                continue
            a = {'name': name, 'section': '', 'source': {}, 'params': [], 'response': [], 'errors': []}
            actions.append(a)
            by[name] = a
        if p.get('$remove'):
            actions.remove(a)
            continue
        for k, v in p.items():
            if k.startswith('$') or k.startswith('_'):
                continue
            if k in ('params', 'response', 'errors'):
                a[k] = _merge_list(k, a[k], v, name)
            elif isinstance(v, dict) and isinstance(a.get(k), dict) and not v.get('$replace'):
                _merge_entry(a[k], v, name + '.' + k)
            else:
                a[k] = copy.deepcopy(v)
    return actions


# ---------------------------------------------------------------------------------------------
# output

KEY_ORDER = ['product', 'version', 'derived_from', 'actions',
             'name', 'aliases', 'section', 'source', 'seed', 'line', 'type', 'required', 'enum', 'min', 'max',
             'min_len', 'max_len', 'default', 'max_items', 'shape', 'item_type', 'fields', 'items', 'format',
             'invalid', 'params', 'response', 'errors', 'status', 'code', 'message']


def canon(o):
    if isinstance(o, dict):
        keys = sorted(o, key=lambda k: (KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER), k))
        return {k: canon(o[k]) for k in keys if not k.startswith('_')}
    if isinstance(o, list):
        return [canon(x) for x in o]
    return o


SEED_RANK = {'004': 0, 'ram': 1, '000': 2, '002': 3, '003': 4, 'sdk': 5}


def order_actions(actions):
    return sorted(actions, key=lambda a: (SEED_RANK.get(a.get('source', {}).get('seed'), 9),
                                          a.get('source', {}).get('line', 0)))


def dump(doc):
    return json.dumps(canon(doc), indent=2, ensure_ascii=False) + '\n'


# ---------------------------------------------------------------------------------------------
# checks

def suspicious(doc):
    out = []
    seen_msgs = set()
    for a in doc['actions']:
        n = a['name']
        if not a['params']:
            out.append('%s: no request parameters' % n)
        if not a['response']:
            out.append('%s: no response fields' % n)
        elif not any(f['name'] == 'RequestId' for f in a['response']):
            out.append('%s: no RequestId in the response' % n)
        if not a['errors'] and a['source'].get('seed') != 'ram':
            out.append('%s: no errors' % n)
        for p in a['params']:
            if not re.fullmatch(r'[A-Z][A-Za-z0-9]*', p['name']) and not p.get('aliases'):
                out.append('%s: odd parameter name %s' % (n, p['name']))
        for f, _, path in walk_fields(a['response']):
            if not re.fullmatch(r'[A-Za-z][A-Za-z0-9]*', f['name']):
                out.append('%s: odd response field %s' % (n, '.'.join(path + (f['name'],))))
            if f['type'] == 'Array' and f['items']['type'] == 'String' and len(path) < 9:
                pass
        for e in a['errors']:
            c, m = e['code'], e['message']
            if ' ' in c or not c[:1].isupper():
                out.append('%s: odd error code %r' % (n, c))
            if not m:
                out.append('%s: empty message for %s' % (n, c))
            elif not m.endswith('.') and (c, m) not in seen_msgs:
                seen_msgs.add((c, m))
                out.append('%s: message without final period: %s %r' % (n, c, m))
            if re.search(r'\b(The error message returned|You can|Check whether)\b', m):
                out.append('%s: message may contain description text: %s %r' % (n, c, m))
    return out


def summary(doc):
    na = len(doc['actions'])
    npar = sum(len(a['params']) for a in doc['actions'])
    nresp = sum(len(list(walk_fields(a['response']))) for a in doc['actions'])
    nerr = sum(len(a['errors']) for a in doc['actions'])
    return '%s %s: %d actions, %d params, %d response fields, %d errors' % (
        doc['product'], doc['version'], na, npar, nresp, nerr)


# ---------------------------------------------------------------------------------------------
# main

def load_patch(path):
    if not os.path.exists(path):
        return {}
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def derive(seeds):
    raw = load_vpc_seed(seeds)
    index = load_index(seeds)
    actions = []
    for k, (sec, name, line) in enumerate(index):
        head = raw[line - 1].strip() if line - 1 < len(raw) else ''
        if head != '%s %s' % (sec, name):
            raise SystemExit('ACTIONS.md: %s %s is not at line %d of %s' % (sec, name, line, VPC_SEED))
        nxt = index[k + 1][2] if k + 1 < len(index) else len(raw) + 1
        act = parse_action(raw, sec, name, line, nxt)
        act['errors'] = dedupe_errors(act['errors'])
        actions.append(act)
    # 000: ModifyRouterInterfaceSpec, more specific than section 11.6
    with open(os.path.join(seeds, RIS_SEED), encoding='utf-8') as f:
        ris = parse_simple_doc(f.read(), 'ModifyRouterInterfaceSpec', '000')
    target = next(a for a in actions if a['name'] == 'ModifyRouterInterfaceSpec')
    merge_simple_into(target, ris)
    vpc = {'product': 'Vpc', 'version': '2016-04-28', 'derived_from': [VPC_SEED, RIS_SEED], 'actions': actions}
    ecs_actions = []
    for seed, name, sid in ((ECS_NET_SEED, 'ModifyInstanceNetworkSpec', '002'),
                            (ECS_SPEC_SEED, 'ModifyInstanceSpec', '003')):
        with open(os.path.join(seeds, seed), encoding='utf-8') as f:
            ecs_actions.append(parse_simple_doc(f.read(), name, sid))
    ecs = {'product': 'Ecs', 'version': '2014-05-26', 'derived_from': [ECS_NET_SEED, ECS_SPEC_SEED],
           'actions': ecs_actions}
    out = {}
    for doc, fname in ((vpc, 'vpc-2016-04-28.json'), (ecs, 'ecs-2014-05-26.json')):
        patch = load_patch(os.path.join(REPO, 'spec', 'patches', fname))
        apply_patches(doc['actions'], patch)
        # One more patch file per resource family: spec/patches/<product>-<version>.d/*.json, in name order.
        fam_dir = os.path.join(REPO, 'spec', 'patches', fname[:-len('.json')] + '.d')
        if os.path.isdir(fam_dir):
            for name in sorted(os.listdir(fam_dir)):
                if name.endswith('.json'):
                    apply_patches(doc['actions'], load_patch(os.path.join(fam_dir, name)))
        tag_count_errors(doc)
        invalid_rows_are_errors(doc)
        not_found_is_404(doc)
        check_ram_sources(doc, raw)
        doc['actions'] = order_actions(doc['actions'])
        out[fname] = doc
    return out


TAG_COUNT_CODES = ('SizeLimitExceeded.TagNum', 'NumberExceed.Tags')


def tag_count_errors(doc):
    """Too many Tag.N (the list's max_items) gets the code the action documents for it (VPC
    SizeLimitExceeded.TagNum, ECS NumberExceed.Tags) rather than a generic InvalidParameter."""
    for a in doc['actions']:
        row = next((e for e in a['errors'] if e['code'] in TAG_COUNT_CODES), None)
        for prm in a['params']:
            if row and prm['name'] in ('Tag', 'Tags') and prm.get('max_items') and 'invalid' not in prm:
                prm['invalid'] = {'status': row['status'], 'code': row['code'], 'message': row['message']}


def invalid_rows_are_errors(doc):
    """A parameter's `invalid` error is one of its action's errors (coverage counts them there)."""
    for a in doc['actions']:
        def walk(params):
            for prm in params:
                inv = prm.get('invalid')
                if inv and not any(e['code'] == inv['code'] and e['message'] == inv['message']
                                   and e['status'] == inv['status'] for e in a['errors']):
                    a['errors'].append(dict(inv))
                walk(prm.get('fields', []))
        walk(a['params'])


def not_found_is_404(doc):
    """The API gateway answers every `*.NotFound` code with HTTP 404 (the project's rule, from the
    platform issue); where a seed table prints another status, keep it as `documented_status`."""
    for a in doc['actions']:
        for e in a['errors']:
            if e['code'].endswith('.NotFound') and e['status'] != 404:
                e['documented_status'] = e['status']
                e['status'] = 404


def check_ram_sources(doc, raw):
    for a in doc['actions']:
        src = a.get('source', {})
        if src.get('seed') == 'ram':
            ln = src.get('line', 0)
            if not (0 < ln <= len(raw)) or a['name'] not in raw[ln - 1]:
                warn('%s: source line %s of %s does not name the action' % (a['name'], ln, VPC_SEED))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seeds', default=DEFAULT_SEEDS, help='seed directory (default: %(default)s)')
    ap.add_argument('--check', action='store_true', help='exit 1 if the spec files are not up to date')
    ap.add_argument('--quiet', action='store_true', help='no summary / suspicious list')
    ap.add_argument('--verbose', action='store_true',
                    help='also list response fields found only in the response tables')
    args = ap.parse_args(argv)
    seeds = os.path.abspath(args.seeds)
    if not os.path.isdir(seeds):
        # The reference documents are not part of the repository (see scripts/test).
        print('reference documents not found: %s (pass --seeds DIR)' % seeds, file=sys.stderr)
        return 2
    docs = derive(seeds)
    stale = []
    for fname, doc in docs.items():
        path = os.path.join(REPO, 'spec', fname)
        text = dump(doc)
        if args.check:
            try:
                with open(path, encoding='utf-8') as f:
                    cur = f.read()
            except OSError:
                cur = None
            if cur != text:
                stale.append(fname)
        else:
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
    if not args.quiet:
        for doc in docs.values():
            print(summary(canon(doc)), file=sys.stderr)
        items = []
        for doc in docs.values():
            items += suspicious(canon(doc))
        items += WARNINGS
        if args.verbose:
            items += ['response field only in the table: ' + t for t in TABLE_ONLY]
        if items:
            print('suspicious (%d):' % len(items), file=sys.stderr)
            for it in items:
                print('  ' + it, file=sys.stderr)
    if args.check and stale:
        print('out of date: %s (run python3 tools/derive_spec.py)' % ', '.join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
