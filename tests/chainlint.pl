#!/usr/bin/perl
#
# chainlint: every test body in dbarena's integration tests is one chain
# of && steps, as git's t/chainlint.pl demands of git's tests. A step whose
# status nobody looks at is a failure nobody sees: test_expect_success
# judges a body by the status of its last command alone.
#
# Each FILE is read as the shell reads it: the second argument of every
# test_expect_success is the body, which is tokenized (quotes, $(...),
# here-documents, comments, line continuations) and parsed into lists,
# and-or lists, pipelines and compound commands. Within every list (the
# body itself, { } groups, ( ) subshells, if, case and loop bodies, and
# each $(...)), two commands may follow each other only through && or
# ||, with these exceptions:
#
#   - a command put in the background with &, when it is a single
#     pipeline (a chain before the & would be backgrounded with it);
#   - "exit", "exit N", "return N" (N not 0) or "false" as the next
#     command: the body fails there whatever went before;
#   - a command that reads $? (rc=$?, test $? -eq 4), after a single
#     command: nothing before that one is masked, as it would be after a
#     chain (a && b; test $? -eq 1 passes when a fails with 1). The
#     helper test_expect_code says the same in one step.
#
# A failure inside a loop ends the loop only by hand, so a loop body must
# end with "|| exit 1" or "|| return 1" (a body is eval'd in a subshell
# inside test_expect_success, a function, so both end it), or with a
# { ...; exit 1; } group after ||. "|| false" is not enough: it only
# sets the status of an iteration that the next one overwrites.
#
# An || after a chain (a && b || rc=$? && c) catches the failure of
# every step before it and carries on, unless what follows the || ends
# the body (exit, return, false).
#
# It also rejects "VAR=x ! cmd": after an assignment ! is a command name,
# not found, so the step fails whatever it was to test.
#
# Prints FILE:LINE: problem for each, and exits 1 if there was any.
# Usage: chainlint.pl FILE...

use strict;
use warnings;

my @problems;
my $ctx;		# { file, title, base } of the body being linted

sub problem {
	my ($line, $msg) = @_;

	push @problems, [$ctx->{file}, $ctx->{base} + $line - 1,
	    "$msg (test '$ctx->{title}')"];
}

# ------------------------------------------------------------------ lexer

package Lexer;

sub new {
	my ($class, $text) = @_;
	my $self = bless { s => \$text, line => 1, heredocs => [] }, $class;

	pos(${ $self->{s} }) = 0;
	return $self;
}

sub lines {
	my ($self, $text) = @_;

	$self->{line} += ($text =~ tr/\n//);
}

# Here-documents start on the line after their <<TAG.
sub read_heredocs {
	my $self = shift;
	my $b = $self->{s};

	while (my $h = shift @{ $self->{heredocs} }) {
		my ($tag, $strip) = @$h;
		while ($$b =~ /\G([^\n]*)(\n|\z)/gc) {
			my ($l, $nl) = ($1, $2);
			$self->{line}++ if $nl eq "\n";
			$l =~ s/^\t+// if $strip;
			last if $l eq $tag || $nl eq '';
		}
	}
}

sub scan_balanced {
	my ($self, $open, $close, $depth) = @_;
	my $b = $self->{s};
	my $s = '';

	$depth //= 1;

	while ($depth > 0 && $$b =~ /\G(.)/sgc) {
		$s .= $1;
		$depth++ if $1 eq $open;
		$depth-- if $1 eq $close;
	}
	$self->lines($s);
	return $s;
}

sub scan_backquote {
	my $self = shift;
	my $b = $self->{s};

	$$b =~ /\G((?:[^`\\]|\\.)*)`?/sgc;
	$self->lines($1);
	return '`' . $1 . '`';
}

# After a $: ((...)), (...), {...}, a name or a special parameter.
sub scan_dollar {
	my ($self, $subs) = @_;
	my $b = $self->{s};

	return '((' . $self->scan_balanced('(', ')', 2)
	    if $$b =~ /\G\(\(/gc;
	if ($$b =~ /\G\(/gc) {
		push @$subs, $self->lex_subst();
		return '(...)';
	}
	return '{' . $self->scan_balanced('{', '}') if $$b =~ /\G\{/gc;
	return $1 if $$b =~ /\G(\w+|[@*#?\$!0-9-])/gc;
	return '';
}

sub scan_dq {
	my ($self, $subs) = @_;
	my $b = $self->{s};
	my $s = '"';

	for (;;) {
		if ($$b =~ /\G([^"\\\$`]+)/gc) {
			$s .= $1;
			$self->lines($1);
		} elsif ($$b =~ /\G\\\n/gc) {
			$self->{line}++;
		} elsif ($$b =~ /\G(\\.)/sgc) {
			$s .= $1;
		} elsif ($$b =~ /\G\$/gc) {
			$s .= '$' . $self->scan_dollar($subs);
		} elsif ($$b =~ /\G`/gc) {
			$s .= $self->scan_backquote();
		} else {
			$$b =~ /\G"/gc;
			return $s . '"';
		}
	}
}

# The tokens of a $(...), up to its closing parenthesis.
sub lex_subst {
	my $self = shift;
	my (@toks, $depth, $case);

	($depth, $case) = (0, 0);
	while (defined(my $t = $self->next_token())) {
		if ($t->{t} eq 'op' && $t->{v} eq '(') {
			$depth++;
		} elsif ($t->{t} eq 'op' && $t->{v} eq ')') {
			return \@toks if $depth == 0 && $case == 0;
			$depth-- if $depth > 0;
		} elsif ($t->{t} eq 'word' && $t->{v} eq 'case') {
			$case++;
		} elsif ($t->{t} eq 'word' && $t->{v} eq 'esac') {
			$case-- if $case > 0;
		}
		push @toks, $t;
	}
	return \@toks;
}

sub word {
	my ($self, $subs) = @_;
	my $b = $self->{s};
	my $w = '';

	for (;;) {
		if ($$b =~ /\G([^\s\\;&|<>()'"`\$]+)/gc) {
			$w .= $1;
		} elsif ($$b =~ /\G'([^']*)'?/gc) {
			$w .= "'$1'";
			$self->lines($1);
		} elsif ($$b =~ /\G"/gc) {
			$w .= $self->scan_dq($subs);
		} elsif ($$b =~ /\G`/gc) {
			$w .= $self->scan_backquote();
		} elsif ($$b =~ /\G\$/gc) {
			$w .= '$' . $self->scan_dollar($subs);
		} elsif ($$b =~ /\G\\\n/gc) {
			$self->{line}++;
		} elsif ($$b =~ /\G(\\.)/sgc) {
			$w .= $1;
		} else {
			return $w;
		}
	}
}

# The next token: { t => word|op|redir, v => text, line, eline, subs }.
# A newline is an op; a comment ends at it.
sub next_token {
	my $self = shift;
	my $b = $self->{s};
	my ($line, $t, $w, @subs);

	for (;;) {
		next if $$b =~ /\G[ \t]+/gc;
		$self->{line}++, next if $$b =~ /\G\\\n/gc;
		last;
	}
	$$b =~ /\G#[^\n]*/gc;
	$line = $self->{line};
	return undef if pos($$b) >= length($$b);
	if ($$b =~ /\G\n/gc) {
		$self->{line}++;
		$self->read_heredocs();
		return { t => 'op', v => "\n", line => $line, eline => $line };
	}
	if ($$b =~ /\G(&&|\|\||;;|;|&|\||\(|\))/gc) {
		return { t => 'op', v => $1, line => $line, eline => $line };
	}
	# A descriptor number belongs to its redirection: 2>&1.
	$$b =~ /\G\d+(?=[<>])/gc;
	if ($$b =~ /\G(<<-?)(?!<)/gc) {
		my $strip = $1 eq '<<-';
		$$b =~ /\G[ \t]*/gc;
		my $tag = $self->word([]);
		$tag =~ s/['"\\]//g;
		push @{ $self->{heredocs} }, [$tag, $strip];
		return { t => 'redir', v => "<<$tag", line => $line,
		    eline => $line };
	}
	if ($$b =~ /\G(<<<|>>|>&|<&|<>|>\||>|<)/gc) {
		return { t => 'redir', v => $1, line => $line, eline => $line };
	}
	$w = $self->word(\@subs);
	# Anything else stands alone, so that the lexer always moves on.
	$w = $1 if $w eq '' && $$b =~ /\G(.)/sgc;
	return { t => 'word', v => $w, line => $line, eline => $self->{line},
	    subs => \@subs };
}

sub tokens {
	my $self = shift;
	my @toks;

	while (defined(my $t = $self->next_token())) {
		push @toks, $t;
	}
	return \@toks;
}

# ------------------------------------------------------------------ parser

package Parser;

sub new {
	my ($class, $toks, $in_func) = @_;

	return bless { toks => $toks, i => 0, in_func => $in_func || 0,
	    last_line => 1 }, $class;
}

sub peek { return $_[0]{toks}[ $_[0]{i} ]; }

sub take {
	my $self = shift;
	my $t = $self->{toks}[ $self->{i}++ ];

	$self->{last_line} = $t->{eline} if defined $t && $t->{v} ne "\n";
	# Each $(...) in a word is a list of its own, held to the same rule.
	if (defined $t && $t->{subs}) {
		Parser->new($_, $self->{in_func})->parse_top() for @{ $t->{subs} };
	}
	return $t;
}

sub is_op {
	my ($t, $v) = @_;

	return defined $t && $t->{t} eq 'op' && $t->{v} eq $v;
}

sub is_word {
	my ($t, $v) = @_;

	return defined $t && $t->{t} eq 'word' && $t->{v} eq $v;
}

sub skip_nl {
	my $self = shift;

	$self->take() while is_op($self->peek(), "\n");
}

sub expect {
	my ($self, $v) = @_;
	my $t = $self->peek();

	if (defined $t && $t->{v} eq $v) {
		$self->take();
		return 1;
	}
	main::problem(defined $t ? $t->{line} : $self->{last_line},
	    "cannot parse: expected '$v', found " .
	    (defined $t ? "'$t->{v}'" : 'the end'));
	return 0;
}

sub at_stop {
	my ($self, $stops) = @_;
	my $t = $self->peek();

	return 1 if !defined $t;
	return 0 if $t->{t} eq 'redir' || $t->{v} eq "\n";
	return $stops->{ $t->{v} } ? 1 : 0;
}

sub parse_top {
	my $self = shift;
	my $t;

	$self->parse_list({});
	while (defined($t = $self->peek())) {
		main::problem($t->{line}, "cannot parse: unexpected '$t->{v}'");
		$self->take();
		$self->parse_list({});
	}
}

# A list: and-or lists separated by newlines, ; or &.
sub parse_list {
	my ($self, $stops) = @_;
	my (@lists, $t);

	$self->skip_nl();
	while (!$self->at_stop($stops)) {
		$t = $self->peek();
		last if $t->{t} eq 'op' && $t->{v} =~ /^(?:\)|;;|&&|\|\||\||;|&)$/;
		my $ao = $self->parse_andor($stops);
		$t = $self->peek();
		if (defined $t && $t->{t} eq 'op' && $t->{v} =~ /^(?:;|&|\n)$/) {
			$ao->{sep} = $t->{v};
			$self->take();
			$self->skip_nl();
		}
		push @lists, $ao;
	}
	$self->check_sequence(\@lists);
	return \@lists;
}

sub parse_andor {
	my ($self, $stops) = @_;
	my @pipes = ($self->parse_pipeline($stops));
	my @ops;

	while (is_op($self->peek(), '&&') || is_op($self->peek(), '||')) {
		my $op = $self->take()->{v};
		my $at = $self->{last_line};

		push @ops, $op;
		$self->skip_nl();
		push @pipes, $self->parse_pipeline($stops);
		# a && b || rc=$? && c: when a fails, || catches that too
		# and the chain goes on. After a chain, || must end the body.
		main::problem($at, "'||' after a chain catches the failure " .
		    "of every step before it: use test_expect_code, or end " .
		    "with || exit 1")
		    if $op eq '||' && @pipes > 2 &&
		    !(@{ $pipes[-1]{cmds} } == 1 && !$pipes[-1]{bang} &&
		    fails_out($pipes[-1]{cmds}[0], $self->{in_func}));
	}
	return { pipes => \@pipes, ops => \@ops, sep => '',
	    last_line => $self->{last_line} };
}

sub parse_pipeline {
	my ($self, $stops) = @_;
	my ($bang, @cmds) = (0);

	$bang = 1, $self->take() if is_word($self->peek(), '!');
	push @cmds, $self->parse_command($stops);
	while (is_op($self->peek(), '|')) {
		$self->take();
		$self->skip_nl();
		push @cmds, $self->parse_command($stops);
	}
	return { bang => $bang, cmds => \@cmds };
}

# Redirections after a compound command, as in "done >out".
sub trailing_redirs {
	my $self = shift;

	while (defined $self->peek() && $self->peek()->{t} eq 'redir') {
		$self->take();
		$self->take() if defined $self->peek() &&
		    $self->peek()->{t} eq 'word';
	}
}

sub parse_command {
	my ($self, $stops) = @_;
	my $t = $self->peek();
	my ($cmd, $body);

	return { type => 'none' } if !defined $t;
	if (is_word($t, '{') || is_op($t, '(')) {
		my $close = $t->{v} eq '{' ? '}' : ')';
		$self->take();
		$body = $self->parse_list({ $close => 1 });
		$self->expect($close);
		$cmd = { type => $close eq '}' ? 'group' : 'subshell',
		    body => $body };
	} elsif (is_word($t, 'if')) {
		$self->take();
		for (;;) {
			$self->parse_list({ then => 1 });
			$self->expect('then');
			$self->parse_list({ elif => 1, else => 1, fi => 1 });
			last unless is_word($self->peek(), 'elif');
			$self->take();
		}
		if (is_word($self->peek(), 'else')) {
			$self->take();
			$self->parse_list({ fi => 1 });
		}
		$self->expect('fi');
		$cmd = { type => 'if' };
	} elsif (is_word($t, 'for')) {
		$self->take();
		$self->take();		# the name
		$self->skip_nl();
		if (is_word($self->peek(), 'in')) {
			$self->take() while defined $self->peek() &&
			    $self->peek()->{t} ne 'op';
		}
		$self->take() if is_op($self->peek(), ';');
		$self->skip_nl();
		$cmd = $self->parse_loop_body();
	} elsif (is_word($t, 'while') || is_word($t, 'until')) {
		$self->take();
		$self->parse_list({ do => 1 });
		$cmd = $self->parse_loop_body();
	} elsif (is_word($t, 'case')) {
		$self->parse_case();
		$cmd = { type => 'case' };
	} elsif ($t->{t} eq 'word' && is_op($self->{toks}[ $self->{i} + 1 ], '(')) {
		# name () compound: a function, where return works.
		$self->take();
		$self->take();
		$self->expect(')');
		$self->skip_nl();
		local $self->{in_func} = 1;
		$self->parse_command({});
		return { type => 'function' };
	} else {
		my @words;
		while (defined($t = $self->peek()) && $t->{t} ne 'op') {
			push @words, $t->{v} if $t->{t} eq 'word';
			$self->take();
		}
		# After VAR=value, ! is no operator but a command that is
		# not found: the step fails whatever it tests.
		my @rest = grep { !/^\w+=/ } @words;
		main::problem($self->{last_line}, "'!' after an assignment " .
		    "runs a command named '!': put the ! first")
		    if @rest && @rest < @words && $rest[0] eq '!';
		return { type => 'simple', words => \@words };
	}
	$self->trailing_redirs();
	return $cmd;
}

sub parse_loop_body {
	my $self = shift;
	my $body;

	$self->expect('do');
	$body = $self->parse_list({ done => 1 });
	$self->check_loop($body);
	$self->expect('done');
	return { type => 'loop', body => $body };
}

sub parse_case {
	my $self = shift;

	$self->take();			# case
	$self->take();			# the word
	$self->skip_nl();
	$self->expect('in');
	$self->skip_nl();
	while (defined $self->peek() && !is_word($self->peek(), 'esac')) {
		# The patterns, up to their ")".
		$self->take() if is_op($self->peek(), '(');
		while (defined $self->peek() && !is_op($self->peek(), ')')) {
			$self->take();
		}
		$self->expect(')');
		$self->parse_list({ ';;' => 1, esac => 1 });
		last unless is_op($self->peek(), ';;');
		$self->take();
		$self->skip_nl();
	}
	$self->expect('esac');
}

# ------------------------------------------------------------------ checks

sub simple_words {
	my $ao = shift;

	return undef if @{ $ao->{pipes} } != 1;
	my $p = $ao->{pipes}[0];
	return undef if $p->{bang} || @{ $p->{cmds} } != 1;
	return undef if $p->{cmds}[0]{type} ne 'simple';
	return $p->{cmds}[0]{words};
}

# exit, return or false, as a command of its own: the body fails there.
sub fails_out {
	my ($cmd, $in_func) = @_;
	my $w;

	if ($cmd->{type} eq 'group') {
		my $l = $cmd->{body};
		return @$l && fails_out_list($l->[-1], $in_func);
	}
	return 0 if $cmd->{type} ne 'simple';
	$w = $cmd->{words};
	return 0 if !@$w;
	return 1 if $w->[0] eq 'false' && @$w == 1;
	return 0 if $w->[0] ne 'exit' && !($in_func && $w->[0] eq 'return');
	return @$w == 1 || $w->[1] !~ /^0*$/;
}

sub fails_out_list {
	my ($ao, $in_func) = @_;

	return @{ $ao->{pipes} } == 1 && !$ao->{pipes}[0]{bang} &&
	    @{ $ao->{pipes}[0]{cmds} } == 1 &&
	    fails_out($ao->{pipes}[0]{cmds}[0], $in_func);
}

sub terminal {
	my ($ao, $in_func) = @_;
	my $w = simple_words($ao);

	return 0 if !defined $w || !@$w;
	return 1 if @$w == 1 && $w->[0] =~ /^(?:false|exit)$/;
	return 0 if $w->[0] eq 'return' && !$in_func;
	return $w->[0] =~ /^(?:exit|return)$/ && @$w == 2 && $w->[1] !~ /^0*$/;
}

# Whether the first command of an and-or list reads $?.
sub reads_status {
	my $ao = shift;
	my $c = $ao->{pipes}[0]{cmds}[0];

	return 0 if $c->{type} ne 'simple';
	return scalar grep { /\$\?/ } @{ $c->{words} };
}

sub check_sequence {
	my ($self, $lists) = @_;

	for my $k (0 .. $#$lists) {
		my ($l, $next) = ($lists->[$k], $lists->[ $k + 1 ]);
		my $n = @{ $l->{pipes} };

		if ($l->{sep} eq '&') {
			main::problem($l->{last_line}, "'&' puts the whole " .
			    "chain before it in the background, unchecked")
			    if $n > 1;
			next;
		}
		next if !defined $next;
		next if terminal($next, $self->{in_func});
		next if $n == 1 && reads_status($next);
		main::problem($l->{last_line}, "missing && after this " .
		    "command: its failure goes unseen");
	}
}

sub check_loop {
	my ($self, $body) = @_;
	my $last;

	return if !@$body;
	return if !grep { $_->{sep} ne '&' } @$body;
	$last = $body->[-1];
	return if @{ $last->{ops} } && $last->{ops}[-1] eq '||' &&
	    @{ $last->{pipes}[-1]{cmds} } == 1 &&
	    !$last->{pipes}[-1]{bang} &&
	    fails_out($last->{pipes}[-1]{cmds}[0], $self->{in_func}) &&
	    !($last->{pipes}[-1]{cmds}[0]{type} eq 'simple' &&
	    $last->{pipes}[-1]{cmds}[0]{words}[0] eq 'false');
	main::problem($last->{last_line}, "a failure in this loop does " .
	    "not end it: end the loop body with || exit 1");
}

# ------------------------------------------------------------------ files

package main;

# The words of the shell command at $pos in $src, with the line each
# starts on: [value, line].
sub shell_words {
	my ($src, $pos, $line) = @_;
	my (@words, $w, $wline);

	pos($$src) = $pos;
	for (;;) {
		if ($$src =~ /\G[ \t]+/gc || $$src =~ /\G\\\n/gc) {
			$line++ if substr($$src, pos($$src) - 1, 1) eq "\n";
			push @words, [$w, $wline] if defined $w;
			undef $w;
			next;
		}
		last if $$src =~ /\G(?:\n|;|&|\||\z)/gc;
		last if !defined $w && $$src =~ /\G#/gc;
		$wline = $line if !defined $w;
		$w //= '';
		if ($$src =~ /\G'([^']*)'/gc) {
			$w .= $1;
			$line += ($1 =~ tr/\n//);
		} elsif ($$src =~ /\G"((?:[^"\\]|\\.)*)"/sgc) {
			my $v = $1;
			$line += ($v =~ tr/\n//);
			$v =~ s/\\\n//g;
			$v =~ s/\\([\$`"\\])/$1/g;
			$w .= $v;
		} elsif ($$src =~ /\G\\(.)/sgc) {
			$w .= $1;
		} elsif ($$src =~ /\G([^\s'"\\;&|]+)/gc) {
			$w .= $1;
		} else {
			last;
		}
	}
	push @words, [$w, $wline] if defined $w;
	return @words;
}

sub lint_body {
	my ($body) = @_;
	my $toks = Lexer->new($body)->tokens();

	# The body runs inside a function: return is allowed.
	Parser->new($toks, 1)->parse_top();
}

sub lint_file {
	my $file = shift;
	my ($fh, $src, $n);

	if (!open($fh, '<', $file)) {
		push @problems, [$file, 0, "cannot read: $!"];
		return;
	}
	$src = do { local $/; <$fh> };
	close($fh);
	while ($src =~ /^([ \t]*)test_expect_success[ \t]+/mg) {
		my $at = pos($src);
		my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
		my @w = shell_words(\$src, $at, $line);

		$n++;
		pos($src) = $at;
		$ctx = { file => $file, title => @w ? $w[0][0] : '?',
		    base => @w ? $w[-1][1] : $line };
		if (@w != 2) {
			problem(1, "test_expect_success needs a title and " .
			    "a body, got " . scalar(@w) . " words");
			next;
		}
		lint_body($w[1][0]);
	}
}

lint_file($_) for @ARGV;
my %seen;
for my $p (sort { $a->[0] cmp $b->[0] || $a->[1] <=> $b->[1] } @problems) {
	my $s = "$p->[0]:$p->[1]: $p->[2]";

	print "$s\n" if !$seen{$s}++;
}
exit(@problems ? 1 : 0);
