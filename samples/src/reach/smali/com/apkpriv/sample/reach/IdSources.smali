.class public final Lcom/apkpriv/sample/reach/IdSources;
.super Ljava/lang/Object;
.source "IdSources.java"

# Case b: the factory hides the concrete class, so callers only see the interface.

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static get()Lcom/apkpriv/sample/reach/IdSource;
    .registers 1
    new-instance v0, Lcom/apkpriv/sample/reach/ImeiSource;
    invoke-direct {v0}, Lcom/apkpriv/sample/reach/ImeiSource;-><init>()V
    return-object v0
.end method
