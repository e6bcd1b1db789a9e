// The whole public API of Fundstelle.
#pragma once

#include "fundstelle/article.h"
#include "fundstelle/check.h"
#include "fundstelle/error.h"
#include "fundstelle/export.h"
#include "fundstelle/indexer.h"
#include "fundstelle/passage.h"
#include "fundstelle/searcher.h"
#include "fundstelle/version.h"
