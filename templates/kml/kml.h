// Everything the generated firmware needs from kml's layer library.
#ifndef KML_KML_H_
#define KML_KML_H_
#include "kml/common.h"
#include "kml/activation.h"
#include "kml/batchnorm.h"
#include "kml/dense.h"
#include "kml/dense_po2.h"
#include "kml/quantize.h"
#include "kml/einsum.h"
#include "kml/max_sub.h"
#include "kml/embedding.h"
#include "kml/layernorm.h"
#include "kml/merge.h"
#include "kml/recurrent.h"
#include "kml/conv.h"
#include "kml/pooling.h"
#include "kml/reshape.h"
#endif
