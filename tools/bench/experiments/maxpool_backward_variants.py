#!/usr/bin/env python3
"""Writes the MaxPool-backward variants of optimisations.md as small ONNX models (v0.onnx .. v3.onnx in the
current directory): the stem MaxPool of ResNet-18 (3x3, stride 2, pad 1, 64x112x112) with inputs x and g
(the output cotangent) and outputs y and gx. v0 is the current rule (MaxPool with Indices, ScatterElements);
v1 to v3 use the fast MaxPool and route g to the first maximum of each window without indices; v4 and v5
compute the indices themselves (the windows unfolded by one-hot convolutions, ArgMax) and keep ScatterElements. Time and
compare them with SessionTiming.java. Needs /usr/bin/python3 with onnx and numpy.
"""
import onnx, numpy as np
from onnx import helper as h, TensorProto as T, numpy_helper as nh
C=64; H=112; OH=56
def model(name, nodes, inits, extra_out=()):
    g = h.make_graph(nodes, name,
        [h.make_tensor_value_info('x', T.FLOAT, ['n', C, H, H]), h.make_tensor_value_info('g', T.FLOAT, ['n', C, OH, OH])],
        [h.make_tensor_value_info('y', T.FLOAT, None), h.make_tensor_value_info('gx', T.FLOAT, None)], inits)
    m = h.make_model(g, opset_imports=[h.make_opsetid('', 18)]); m.ir_version = 8
    onnx.save(m, name + '.onnx')
def i64(name, v): return nh.from_array(np.array(v, dtype=np.int64), name)
# v0: the current rule
nodes = [h.make_node('MaxPool', ['x'], ['y', 'ind'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
    h.make_node('Shape', ['x'], ['xs']), h.make_node('ConstantOfShape', ['xs'], ['z']),
    h.make_node('Reshape', ['z', 'm1'], ['zf']), h.make_node('Reshape', ['ind', 'm1'], ['if']), h.make_node('Reshape', ['g', 'm1'], ['gf']),
    h.make_node('ScatterElements', ['zf', 'if', 'gf'], ['sf'], axis=0, reduction='add'),
    h.make_node('Reshape', ['sf', 'xs'], ['gx'])]
model('v0', nodes, [i64('m1', [-1])])
# the 9 window offsets as strided Slices of the -inf-padded input
def stack():
    n = [h.make_node('MaxPool', ['x'], ['y'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
         h.make_node('Pad', ['x', 'pads', 'ninf'], ['xp'])]
    ins = [i64('pads', [0,0,1,1,0,0,1,1]), nh.from_array(np.array(-np.inf, dtype=np.float32), 'ninf'), i64('ax2', [2]), i64('axes23', [2,3]), i64('st2', [2,2])]
    parts = []
    for di in range(3):
        for dj in range(3):
            k = f'{di}{dj}'
            ins += [i64('s'+k, [di, dj]), i64('e'+k, [di + 2*OH - 1, dj + 2*OH - 1])]
            n.append(h.make_node('Slice', ['xp', 's'+k, 'e'+k, 'axes23', 'st2'], ['S'+k]))
            parts.append('S'+k)
    return n, ins, parts
def unpool(n, ins, t5):
    # t5: [N,C,9,OH,OH] -> gx via grouped ConvTranspose
    w = np.zeros((C*9, 1, 3, 3), np.float32)
    for c in range(C):
        for k in range(9): w[c*9+k, 0, k//3, k%3] = 1
    ins += [nh.from_array(w, 'onehot'), i64('r4', [0, C*9, OH, OH])]
    n += [h.make_node('Reshape', [t5, 'r4'], ['t4']),
          h.make_node('ConvTranspose', ['t4', 'onehot'], ['gx'], group=C, kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1], output_padding=[1,1])]
# v1: first maximum by ArgMax over the stacked windows
n, ins, parts = stack()
n += [h.make_node('Unsqueeze', [p, 'ax2'], ['U'+p]) for p in parts]
n += [h.make_node('Concat', ['U'+p for p in parts], ['S'], axis=2), h.make_node('ArgMax', ['S'], ['A'], axis=2, keepdims=1),
      h.make_node('Equal', ['A', 'rng'], ['OHk']), h.make_node('Unsqueeze', ['g', 'ax2'], ['g5']),
      h.make_node('Where', ['OHk', 'g5', 'zero'], ['T5'])]
ins += [i64('rng', np.arange(9).reshape(1,1,9,1,1)), nh.from_array(np.array(0, np.float32), 'zero')]
unpool(n, ins, 'T5'); model('v1', n, ins)
# v2: first match of Equal(window, y) by CumSum
n, ins, parts = stack()
n += [h.make_node('Unsqueeze', [p, 'ax2'], ['U'+p]) for p in parts]
n += [h.make_node('Concat', ['U'+p for p in parts], ['S'], axis=2), h.make_node('Unsqueeze', ['y', 'ax2'], ['y5']),
      h.make_node('Equal', ['S', 'y5'], ['E']), h.make_node('Cast', ['E'], ['Ef'], to=T.FLOAT),
      h.make_node('CumSum', ['Ef', 'axis'], ['Cs']), h.make_node('Equal', ['Cs', 'one'], ['first1']), h.make_node('And', ['E', 'first1'], ['first']),
      h.make_node('Unsqueeze', ['g', 'ax2'], ['g5']), h.make_node('Where', ['first', 'g5', 'zero'], ['T5'])]
ins += [nh.from_array(np.array(2, np.int64), 'axis'), nh.from_array(np.array(1, np.float32), 'one'), nh.from_array(np.array(0, np.float32), 'zero')]
unpool(n, ins, 'T5'); model('v2', n, ins)
# v3: g routed through 9 Equal/Where pairs
n, ins, parts = stack()
ins += [nh.from_array(np.array(0, np.float32), 'zero')]
rem = 'g'; takes = []
for i, p in enumerate(parts):
    n.append(h.make_node('Equal', [p, 'y'], ['E'+p]))
    n.append(h.make_node('Where', ['E'+p, rem, 'zero'], ['T'+p]))
    if i < 8:
        n.append(h.make_node('Where', ['E'+p, 'zero', rem], ['R'+p])); rem = 'R'+p
    n.append(h.make_node('Unsqueeze', ['T'+p, 'ax2'], ['UT'+p])); takes.append('UT'+p)
n.append(h.make_node('Concat', takes, ['T5'], axis=2))
unpool(n, ins, 'T5'); model('v3', n, ins)
# v4 and v5: indices from the windows unfolded by one-hot convolutions (0 where a window overlaps the padding,
# masked to -inf), ArgMax (first maximum) over the 9 offsets, flat indices by arithmetic, ScatterElements.
mask = np.zeros((9, OH, OH), np.float32)
base = np.zeros((OH, OH), np.int64)
for k in range(9):
    for i in range(OH):
        for j in range(OH):
            r, c = 2*i - 1 + k // 3, 2*j - 1 + k % 3
            if not (0 <= r < H and 0 <= c < H):
                mask[k, i, j] = -np.inf
            base[i, j] = (2*i - 1) * H + (2*j - 1)
def scatter_tail(n, ins, argmax):
    ins += [nh.from_array(base.reshape(1, 1, OH, OH), 'base'), i64('three', 3), i64('hm3', H - 3), i64('flat', [0, C, -1]),
            i64('z0', [0]), i64('z2', [2]), i64('hw', [H * H])]
    n += [h.make_node('Div', [argmax, 'three'], ['Ar']), h.make_node('Mul', ['Ar', 'hm3'], ['Arh']),
          h.make_node('Add', [argmax, 'Arh'], ['O']), h.make_node('Add', ['O', 'base'], ['I4']),
          h.make_node('Reshape', ['I4', 'flat'], ['I']), h.make_node('Reshape', ['g', 'flat'], ['gf']),
          h.make_node('Shape', ['x'], ['xs']), h.make_node('Slice', ['xs', 'z0', 'z2'], ['nc']),
          h.make_node('Concat', ['nc', 'hw'], ['ncf'], axis=0), h.make_node('ConstantOfShape', ['ncf'], ['zf']),
          h.make_node('ScatterElements', ['zf', 'I', 'gf'], ['sf'], axis=2, reduction='add'),
          h.make_node('Reshape', ['sf', 'xs'], ['gx'])]
# v4: one grouped Conv (9 one-hot kernels per channel), ArgMax over axis 2 of [N, C, 9, OH, OW]
w = np.zeros((C * 9, 1, 3, 3), np.float32)
for c in range(C):
    for k in range(9): w[c * 9 + k, 0, k // 3, k % 3] = 1
ins = [nh.from_array(w, 'unfold'), nh.from_array(mask.reshape(1, 1, 9, OH, OH), 'mask'), i64('u5', [0, C, 9, OH, OH])]
n = [h.make_node('MaxPool', ['x'], ['y'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
     h.make_node('Conv', ['x', 'unfold'], ['U4'], group=C, kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]),
     h.make_node('Reshape', ['U4', 'u5'], ['U5']), h.make_node('Add', ['U5', 'mask'], ['U5m']),
     h.make_node('ArgMax', ['U5m'], ['A'], axis=2, keepdims=0)]
scatter_tail(n, ins, 'A'); model('v4', n, ins)
# v5: 9 depthwise one-hot Convs (blocked layout), Concat on channels, ArgMax over axis 1 of [N, 9, C, OH, OW]
ins = [nh.from_array(mask.reshape(9, 1, OH, OH), 'mask'), i64('u5', [0, 9, C, OH, OH])]
n = [h.make_node('MaxPool', ['x'], ['y'], kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1])]
for k in range(9):
    wk = np.zeros((C, 1, 3, 3), np.float32); wk[:, 0, k // 3, k % 3] = 1
    ins.append(nh.from_array(wk, f'w{k}'))
    n.append(h.make_node('Conv', ['x', f'w{k}'], [f'P{k}'], group=C, kernel_shape=[3,3], strides=[2,2], pads=[1,1,1,1]))
n += [h.make_node('Concat', [f'P{k}' for k in range(9)], ['Ucat'], axis=1), h.make_node('Reshape', ['Ucat', 'u5'], ['U5']),
      h.make_node('Add', ['U5', 'mask'], ['U5m']), h.make_node('ArgMax', ['U5m'], ['A'], axis=1, keepdims=0)]
scatter_tail(n, ins, 'A'); model('v5', n, ins)
